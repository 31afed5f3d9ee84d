using System.Collections.Concurrent;
using Gateway.Vfs;

namespace Gateway.Fuse.Session;

/// <summary>An open file as the kernel knows it by fh.</summary>
internal sealed class FileHandle(NodeId node, IVfsOpenFile file)
{
    public NodeId Node { get; } = node;
    public IVfsOpenFile File { get; } = file;
    /// <summary>The passthrough backing this open uses (its node's shared one), or null.</summary>
    public BackingFile? Backing { get; set; }
}

internal sealed class DirHandle(NodeId node)
{
    public NodeId Node { get; } = node;
}

/// <summary>
/// A file registered with FUSE_DEV_IOC_BACKING_OPEN. The kernel wants one backing per inode while any
/// passthrough open of it lasts (a second, different one is EBUSY), so opens of a node share it.
/// </summary>
internal sealed class BackingFile(NodeId node, IVfsOpenFile file, int id)
{
    public NodeId Node { get; } = node;
    public IVfsOpenFile File { get; } = file;
    public int Id { get; } = id;
    public int Opens;
}

/// <summary>fh → open file or directory. Handles are never reused within a session.</summary>
internal sealed class OpenHandles
{
    private readonly ConcurrentDictionary<ulong, object> _open = new();
    private long _next;

    public int Count => _open.Count;

    public ulong Add(object handle)
    {
        var fh = (ulong)Interlocked.Increment(ref _next);
        _open[fh] = handle;
        return fh;
    }

    public T? Get<T>(ulong fh) where T : class => _open.TryGetValue(fh, out var h) ? h as T : null;

    public T? Remove<T>(ulong fh) where T : class => _open.TryRemove(fh, out var h) ? h as T : null;

    /// <summary>Any open file of <paramref name="node"/> (fstat of a file whose names are gone).</summary>
    public FileHandle? AnyFileOf(NodeId node)
    {
        foreach (var (_, h) in _open)
            if (h is FileHandle f && f.Node == node) return f;
        return null;
    }

    public List<object> RemoveAll()
    {
        var all = new List<object>();
        foreach (var key in _open.Keys)
            if (_open.TryRemove(key, out var h)) all.Add(h);
        return all;
    }
}
