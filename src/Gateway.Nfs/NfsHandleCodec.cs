using System.Buffers.Binary;
using System.Security.Cryptography;
using Gateway.Vfs;
using Gateway.Vfs.Store;

namespace Gateway.Nfs;

/// <summary>
/// NFS file handles: what a client holds instead of a path. Fixed size, 32 bytes (fits NFSv3's
/// nfs_fh3&lt;64&gt;, NFSv2's fhandle[32] and NFSv4's nfs_fh4&lt;128&gt;), all integers big-endian:
/// <code>
///   0       1       4            8                    16                              32
///  +-------+-------+------------+--------------------+-------------------------------+
///  | ver=1 | 0 0 0 | export id  | node id            | HMAC-SHA256(key, bytes 0..15) |
///  |       |       | (int32)    | (uint64)           | truncated to 16 bytes         |
///  +-------+-------+------------+--------------------+-------------------------------+
/// </code>
/// The MAC, keyed by a per-gateway secret kept in the Store, means a client can only present
/// handles the gateway gave out: a forged, truncated or altered handle is BadHandle before any
/// lookup. Node ids are never reused (SQLite AUTOINCREMENT), so no generation number is needed:
/// a handle of a deleted file decodes fine and the Vfs answers Stale.
/// </summary>
public sealed class NfsHandleCodec
{
    public const int Size = 32;
    public const int KeySize = 32;
    public const byte Version = 1;
    private const int MacOffset = 16;
    private const int MacSize = 16;
    private const string KeyMetaName = "nfs.handle-key";

    private readonly byte[] _key;

    public NfsHandleCodec(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"the handle key must be {KeySize} bytes", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>
    /// The gateway's handle key from the Store, created on first use. Keeping it across restarts is
    /// what lets clients keep their mounts when the gateway restarts.
    /// </summary>
    public static byte[] LoadOrCreateKey(GatewayStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.GetMeta(KeyMetaName) is { Length: KeySize } key) return key;
        key = RandomNumberGenerator.GetBytes(KeySize);
        store.SetMeta(KeyMetaName, key);
        return key;
    }

    public byte[] Encode(int exportId, NodeId node)
    {
        var handle = new byte[Size];
        Encode(exportId, node, handle);
        return handle;
    }

    public void Encode(int exportId, NodeId node, Span<byte> destination)
    {
        if (destination.Length < Size) throw new ArgumentException($"a handle needs {Size} bytes", nameof(destination));
        var handle = destination[..Size];
        handle[0] = Version;
        handle[1] = handle[2] = handle[3] = 0;
        BinaryPrimitives.WriteInt32BigEndian(handle[4..], exportId);
        BinaryPrimitives.WriteUInt64BigEndian(handle[8..], node.Value);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, handle[..MacOffset], mac);
        mac[..MacSize].CopyTo(handle[MacOffset..]);
    }

    /// <summary>
    /// <see cref="VfsStatus.Ok"/> with the export id and node of a handle this gateway made, or
    /// <see cref="VfsStatus.BadHandle"/> for anything else (wrong size, version, reserved bytes or MAC).
    /// </summary>
    public VfsStatus Decode(ReadOnlySpan<byte> handle, out int exportId, out NodeId node)
    {
        exportId = 0;
        node = NodeId.None;
        if (handle.Length != Size || handle[0] != Version) return VfsStatus.BadHandle;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, handle[..MacOffset], mac);
        // Constant time: a client must not learn the MAC a byte at a time from response timing.
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacSize], handle[MacOffset..])) return VfsStatus.BadHandle;
        if (handle[1] != 0 || handle[2] != 0 || handle[3] != 0) return VfsStatus.BadHandle;
        exportId = BinaryPrimitives.ReadInt32BigEndian(handle[4..]);
        node = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(handle[8..]));
        return node.IsNone ? VfsStatus.BadHandle : VfsStatus.Ok;
    }
}
