using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Vfs.Locking;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// How NLM callers become LockManager owners. Hashes are SHA-256 truncated to 64 bits, so they are
/// the same in every process and after every restart: persisted locks keep meaning the same owner,
/// which is what lets a reclaim after a restart find its own lock.
/// <list type="bullet">
/// <item>client: caller_name (the host);</item>
/// <item>lock owner: (oh, svid) within that client — one process on the host;</item>
/// <item>share owner and share id: oh within that client (nlm4_share has no svid).</item>
/// </list>
/// </summary>
public static class NlmIdentity
{
    private const byte ClientTag = 1;
    private const byte LockOwnerTag = 2;
    private const byte ShareOwnerTag = 3;
    private const byte ShareIdTag = 4;

    public static ClientKey ClientOf(string callerName)
    {
        ArgumentNullException.ThrowIfNull(callerName);
        return new ClientKey(Hash(ClientTag, 0, Encoding.UTF8.GetBytes(callerName)));
    }

    public static LockOwner LockOwnerOf(string callerName, ReadOnlySpan<byte> oh, uint svid) =>
        new(LockProtocol.Nlm, ClientOf(callerName), Hash(LockOwnerTag, svid, oh));

    internal static LockOwner LockOwnerOf(Nlm4Lock alock) => LockOwnerOf(alock.CallerName, alock.Oh, alock.Svid);

    internal static LockOwner ShareOwnerOf(Nlm4Share share) =>
        new(LockProtocol.Nlm, ClientOf(share.CallerName), Hash(ShareOwnerTag, 0, share.Oh));

    /// <summary>The LockManager open id of an NLM share: one per (client, oh) on a file.</summary>
    internal static ulong ShareIdOf(Nlm4Share share) => Hash(ShareIdTag, ClientOf(share.CallerName).Value, share.Oh);

    private static ulong Hash(byte tag, ulong salt, ReadOnlySpan<byte> data)
    {
        var input = data.Length <= 1024 ? stackalloc byte[9 + data.Length] : new byte[9 + data.Length];
        input[0] = tag;
        BinaryPrimitives.WriteUInt64BigEndian(input[1..], salt);
        data.CopyTo(input[9..]);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
