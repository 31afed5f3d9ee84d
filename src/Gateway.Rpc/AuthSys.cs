using System.Text;

namespace Gateway.Rpc;

// RFC 5531 Appendix A, the body of an AUTH_SYS credential:
//   struct authsys_parms {
//      unsigned int stamp;
//      string machinename<255>;
//      unsigned int uid;
//      unsigned int gid;
//      unsigned int gids<16>;
//   };
// Nothing here is verified by anyone: AUTH_SYS is the client's word. Policy (squashing,
// host lists) belongs above the RPC layer.
public sealed class AuthSysParams
{
    public const int MaxMachineNameLength = 255;
    public const int MaxGids = 16;

    public AuthSysParams(uint stamp, string machineName, uint uid, uint gid, uint[] gids)
    {
        ArgumentNullException.ThrowIfNull(machineName);
        ArgumentNullException.ThrowIfNull(gids);
        if (gids.Length > MaxGids)
        {
            throw new ArgumentException($"AUTH_SYS carries at most {MaxGids} gids", nameof(gids));
        }

        Stamp = stamp;
        MachineName = machineName;
        Uid = uid;
        Gid = gid;
        _gids = gids;
    }

    private readonly uint[] _gids;

    public uint Stamp { get; }

    public string MachineName { get; }

    public uint Uid { get; }

    public uint Gid { get; }

    public ReadOnlySpan<uint> Gids => _gids;

    // Decodes a credential body; the whole body must be consumed (trailing bytes are an
    // encoding the client did not mean, so the credential is rejected as AUTH_BADCRED).
    public static AuthSysParams Read(ReadOnlySpan<byte> body)
    {
        var reader = new XdrReader(body);
        uint stamp = reader.ReadUInt32();
        string machineName = reader.ReadString(MaxMachineNameLength);
        uint uid = reader.ReadUInt32();
        uint gid = reader.ReadUInt32();
        uint count = reader.ReadUInt32();
        if (count > MaxGids)
        {
            throw new XdrException($"AUTH_SYS gids count {count} exceeds {MaxGids}");
        }

        uint[] gids = count == 0 ? [] : new uint[count];
        for (int i = 0; i < gids.Length; i++)
        {
            gids[i] = reader.ReadUInt32();
        }

        reader.EnsureFullyConsumed();
        return new AuthSysParams(stamp, machineName, uid, gid, gids);
    }

    public void Write(ref XdrWriter writer)
    {
        writer.WriteUInt32(Stamp);
        writer.WriteString(MachineName);
        writer.WriteUInt32(Uid);
        writer.WriteUInt32(Gid);
        writer.WriteUInt32((uint)_gids.Length);
        foreach (uint g in _gids)
        {
            writer.WriteUInt32(g);
        }
    }

    // The encoded body length: stamp, machinename<>, uid, gid, gids<>.
    public int BodyLength =>
        4 + 4 + XdrReader.PaddedLength(Encoding.UTF8.GetByteCount(MachineName)) + 4 + 4 + 4 + (4 * _gids.Length);

    // The opaque_auth of a call that carries this credential (flavor, body length, body).
    public void WriteCredential(ref XdrWriter writer)
    {
        writer.WriteUInt32((uint)AuthFlavor.AUTH_SYS);
        writer.WriteUInt32((uint)BodyLength);
        Write(ref writer);
    }
}
