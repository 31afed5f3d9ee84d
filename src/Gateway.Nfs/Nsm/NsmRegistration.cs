using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm;

/// <summary>
/// One monitored host, as remembered in the Store's clients table (protocol <see cref="Nsm1.ClientProtocol"/>):
/// <see cref="MonName"/> is the host to watch (and to tell when the gateway restarts), the rest is
/// who asked. <see cref="Internal"/> registrations are the gateway's own NLM service watching a client
/// that took a lock (Linux lockd's nsm_monitor); the others came in as SM_MON calls and carry the
/// requester's callback (my_id) and priv.
/// </summary>
public sealed record NsmRegistration(string MonName, string? Address, bool Internal, string MyName, uint MyProg, uint MyVers,
    uint MyProc, byte[] Priv)
{
    private const uint FormatVersion = 1;

    /// <summary>The in-process NLM service watching <paramref name="monName"/>, last seen at <paramref name="address"/>.</summary>
    public static NsmRegistration ForNlm(string monName, string? address) =>
        new(monName, address, true, "", Nlm.Nlm4.Program, Nlm.Nlm4.Version, 0, new byte[Nsm1.PrivSize]);

    /// <summary>The clients-table key: one row per (host, requester callback).</summary>
    public ulong Key => KeyOf(MonName, Internal, MyName, MyProg, MyVers, MyProc);

    internal static ulong KeyOf(string monName, bool isInternal, string myName, uint prog, uint vers, uint proc)
    {
        var text = $"{(isInternal ? 1 : 0)}\n{monName}\n{myName}\n{prog}\n{vers}\n{proc}";
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }

    internal bool SameAs(NsmRegistration other) =>
        Key == other.Key && Address == other.Address && Priv.AsSpan().SequenceEqual(other.Priv);

    // Row data, XDR: version, internal, address (empty: none), my_name, my_prog, my_vers, my_proc, priv[16].
    internal byte[] Encode() => NsmXdr.Encode(this, static (ref XdrWriter w, NsmRegistration r) =>
    {
        w.WriteUInt32(FormatVersion);
        w.WriteBool(r.Internal);
        w.WriteString(r.Address ?? "");
        w.WriteString(r.MyName);
        w.WriteUInt32(r.MyProg);
        w.WriteUInt32(r.MyVers);
        w.WriteUInt32(r.MyProc);
        w.WriteOpaqueFixed(r.Priv);
    });

    internal static NsmRegistration Decode(string monName, byte[] data)
    {
        var r = new XdrReader(data);
        var version = r.ReadUInt32();
        if (version != FormatVersion) throw new XdrException($"NSM registration format {version}");
        var isInternal = r.ReadBool();
        var address = r.ReadString(Nsm1.MaxStringLength);
        return new NsmRegistration(monName, address.Length == 0 ? null : address, isInternal, r.ReadString(Nsm1.MaxStringLength),
            r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadOpaqueFixed(Nsm1.PrivSize).ToArray());
    }
}
