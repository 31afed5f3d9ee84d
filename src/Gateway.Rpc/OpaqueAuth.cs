namespace Gateway.Rpc;

// RFC 5531 §8.2:
//   struct opaque_auth {
//      auth_flavor flavor;
//      opaque body<400>;
//   };
// A ref struct: the body is a slice of the record, parsed further only by the flavor's reader.
public readonly ref struct OpaqueAuth
{
    public const int MaxBodyLength = 400;

    public OpaqueAuth(AuthFlavor flavor, ReadOnlySpan<byte> body)
    {
        Flavor = flavor;
        Body = body;
    }

    public AuthFlavor Flavor { get; }

    public ReadOnlySpan<byte> Body { get; }

    public static OpaqueAuth Read(scoped ref XdrReader reader)
    {
        var flavor = (AuthFlavor)reader.ReadUInt32();
        return new OpaqueAuth(flavor, reader.ReadOpaque(MaxBodyLength));
    }

    public static void WriteNone(ref XdrWriter writer)
    {
        writer.WriteUInt32((uint)AuthFlavor.AUTH_NONE);
        writer.WriteUInt32(0);
    }
}
