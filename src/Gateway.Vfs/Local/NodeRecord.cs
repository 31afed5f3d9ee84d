using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

/// <summary>
/// The in-memory side of one node (libfuse passthrough_ll's inode record): its identity on disk,
/// one name it is reachable by, and a cached O_PATH descriptor that follows the file across renames.
/// Location fields change only under the index lock.
/// </summary>
internal sealed class NodeRecord
{
    public NodeRecord(NodeId id, ulong dev, ulong ino, ulong gen, FileType type, NodeId parent, string name, ulong? createVerifier)
    {
        Id = id;
        Dev = dev;
        Ino = ino;
        Gen = gen;
        Type = type;
        Parent = parent;
        Name = name;
        CreateVerifier = createVerifier;
    }

    public NodeId Id { get; }
    public ulong Dev { get; }
    public ulong Ino { get; }
    /// <summary>Birth time in ns (0 when the filesystem has none): tells a reused inode from the file we knew.</summary>
    public ulong Gen { get; }
    public FileType Type { get; }

    public NodeId Parent { get; set; }
    public string Name { get; set; }
    public ulong? CreateVerifier { get; set; }

    /// <summary>Moved where we can't see it, or removed: resolving it reports Stale until a lookup finds it again.</summary>
    public volatile bool Lost;

    /// <summary>O_PATH | O_NOFOLLOW descriptor, or null when not (yet, or any more) open.</summary>
    public SafeFileHandle? PathFd;

    /// <summary>Descriptor opened for data I/O, cached because NFSv3 has no open/close.</summary>
    public SafeFileHandle? IoFd;
    public bool IoWritable;
    /// <summary>IoHandleCache bookkeeping: in its queue (1) or not (0); used since its last eviction pass.</summary>
    public int IoQueued;
    public volatile bool IoReferenced;

    public long LastUsed;

    public int WatchDescriptor = -1;

    public bool IsDirectory => Type == FileType.Directory;

    public override string ToString() => $"{Id} {Type} {Name} (parent {Parent}, ino {Ino})";
}

/// <summary>A reference on a cached descriptor: it cannot be closed under us while the lease is held.</summary>
internal struct FdLease : IDisposable
{
    private SafeFileHandle? _handle;

    private FdLease(SafeFileHandle handle)
    {
        _handle = handle;
        Handle = handle;
        Fd = (int)handle.DangerousGetHandle();
    }

    public SafeFileHandle Handle { get; }
    public int Fd { get; }

    /// <summary>False when the descriptor was closed (evicted) between reading it and taking the reference.</summary>
    public static bool TryTake(SafeFileHandle handle, out FdLease lease)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
        }
        lease = added ? new FdLease(handle) : default;
        return added;
    }

    public void Dispose()
    {
        _handle?.DangerousRelease();
        _handle = null;
    }
}
