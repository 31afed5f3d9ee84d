using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// p_syntax_id_t (C706 12.6.3.1): a UUID in the little-endian DCE layout (the same as .NET's
/// Guid byte order) followed by version major(2) and minor(2). 20 bytes.
/// </summary>
internal readonly record struct SyntaxId(Guid Uuid, ushort Major, ushort Minor)
{
    public const int Size = 20;

    /// <summary>NDR 2.0 transfer syntax, the only one we speak.</summary>
    public static readonly SyntaxId Ndr = new(new Guid("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2, 0);
    public static readonly SyntaxId Ndr64 = new(new Guid("71710533-beba-4937-8319-b5dbef9ccc36"), 1, 0);
    public static readonly SyntaxId Srvsvc = new(new Guid("4b324fc8-1670-01d3-1278-5a47bf6ee188"), 3, 0);
    public static readonly SyntaxId Wkssvc = new(new Guid("6bffd098-a112-3610-9833-46c3f87e345a"), 1, 0);

    // MS-RPCE 3.3.1.5.3: bind time feature negotiation is a transfer syntax whose UUID starts with
    // 6cb71c2c-9812-4540 and whose last eight bytes are the feature bitmask, version 1.0.
    private static readonly byte[] BindTimeFeaturePrefix = new Guid("6cb71c2c-9812-4540-0000-000000000000").ToByteArray();

    public static SyntaxId Read(ReadOnlySpan<byte> b) => new(
        new Guid(b.Slice(0, 16)),
        BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(16)),
        BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(18)));

    public void Write(Span<byte> b)
    {
        Uuid.TryWriteBytes(b);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(16), Major);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(18), Minor);
    }

    /// <summary>True for a bind-time-feature-negotiation syntax; the features are its first bitmask byte.</summary>
    public bool IsBindTimeFeatureNegotiation(out ushort features)
    {
        Span<byte> bytes = stackalloc byte[16];
        Uuid.TryWriteBytes(bytes);
        features = bytes[8];
        return bytes.Slice(0, 8).SequenceEqual(BindTimeFeaturePrefix.AsSpan(0, 8)) && Major == 1 && Minor == 0;
    }
}
