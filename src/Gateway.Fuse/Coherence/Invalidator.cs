using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Fuse.Session;
using Gateway.Vfs;
using Gateway.Vfs.Events;

namespace Gateway.Fuse.Coherence;

/// <summary>
/// Tells the kernel to forget what it cached when a file changes behind this mount (another protocol,
/// or an edit outside the gateway): FUSE_NOTIFY_INVAL_ENTRY for names, FUSE_NOTIFY_INVAL_INODE for
/// data and attributes, FUSE_NOTIFY_DELETE for removed entries, only for nodes the kernel holds.
/// Notifications are written from this queue's own thread, never from a request handler: writing one
/// takes the kernel's inode/directory locks, which a request we have not answered yet may hold
/// (libfuse's documentation of fuse_lowlevel_notify_inval_entry warns of exactly that deadlock).
/// </summary>
internal sealed class Invalidator : IDisposable
{
    private const int MaxQueued = 65536;

    private readonly FuseDevice _dev;
    private readonly NodeTable _nodes;
    private readonly Action<string> _log;
    private readonly Queue<VfsChange> _queue = new();
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _overflowed;
    private bool _stopping;
    private long _sent;
    private long _processed;
    private long _enqueued;

    public Invalidator(FuseDevice dev, NodeTable nodes, Action<string> log)
    {
        _dev = dev;
        _nodes = nodes;
        _log = log;
    }

    /// <summary>Notifications written so far (tests and status).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Start()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "fuse-invalidate" };
        _thread.Start();
    }

    public void Enqueue(in VfsChange change)
    {
        lock (_gate)
        {
            if (_stopping) return;
            _enqueued++;
            if (change.Kind == ChangeKind.Overflow || _queue.Count >= MaxQueued)
            {
                // Too much to say one by one: drop the detail and invalidate everything the kernel holds.
                _overflowed = true;
                _queue.Clear();
            }
            else
            {
                _queue.Enqueue(change);
            }
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Waits until everything enqueued so far has been sent (tests use it instead of sleeping).</summary>
    public bool WaitIdle(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            var target = _enqueued;
            while (Interlocked.Read(ref _processed) < target || _queue.Count > 0 || _overflowed)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || _stopping) return false;
                Monitor.Wait(_gate, left);
            }
            return true;
        }
    }

    private void Loop()
    {
        var batch = new List<VfsChange>();
        while (true)
        {
            bool overflow;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_overflowed && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                overflow = _overflowed;
                _overflowed = false;
                batch.Clear();
                while (_queue.Count > 0) batch.Add(_queue.Dequeue());
            }
            try
            {
                if (overflow) InvalidateEverything();
                // Several changes to one file's data in a burst need one invalidation.
                var dataDone = new HashSet<ulong>();
                foreach (var c in batch) Apply(c, dataDone);
            }
            catch (Exception e)
            {
                _log($"fuse: invalidation failed: {e.Message}");
            }
            lock (_gate)
            {
                Interlocked.Add(ref _processed, batch.Count + (overflow ? 1 : 0));
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Apply(in VfsChange c, HashSet<ulong> dataDone)
    {
        var dir = c.Directory.IsNone ? 0 : _nodes.ToFuse(c.Directory);
        var node = c.Node.IsNone ? 0 : _nodes.ToFuse(c.Node);
        switch (c.Kind)
        {
            case ChangeKind.Created:
                Entry(dir, c.Name);
                Inode(dir, -1);
                break;
            case ChangeKind.Removed:
                if (node != 0 && dir != 0 && c.Name is not null && _nodes.IsKnown(node) && _nodes.IsKnown(dir))
                {
                    if (Delete(dir, node, c.Name) != 0) Entry(dir, c.Name);
                }
                else
                {
                    Entry(dir, c.Name);
                }
                Inode(dir, -1);
                Inode(node, -1); // its link count changed
                break;
            case ChangeKind.Renamed:
                var oldDir = c.OldDirectory.IsNone ? 0 : _nodes.ToFuse(c.OldDirectory);
                Entry(oldDir, c.OldName);
                Entry(dir, c.Name);
                Inode(oldDir, -1);
                if (dir != oldDir) Inode(dir, -1);
                break;
            case ChangeKind.DataModified:
                if (node != 0 && dataDone.Add(node)) Inode(node, 0);
                break;
            case ChangeKind.AttributesModified:
                Inode(node, -1);
                break;
            case ChangeKind.Overflow:
                InvalidateEverything();
                break;
        }
    }

    private void InvalidateEverything()
    {
        foreach (var (node, parent, name) in _nodes.Snapshot())
        {
            if (name is not null) Entry(parent, name);
            Inode(node, 0);
        }
        Inode(1, 0);
    }

    /// <summary>FUSE_NOTIFY_INVAL_INODE: attributes, and with <paramref name="offset"/> &gt;= 0 the cached data from there on.</summary>
    private void Inode(ulong node, long offset)
    {
        if (node == 0 || !_nodes.IsKnown(node)) return;
        Span<byte> msg = stackalloc byte[FuseReplyBuilder.HeaderSize + Marshal.SizeOf<FuseNotifyInvalInodeOut>()];
        FuseReplyBuilder.WriteNotifyHeader(msg, FuseNotifyCode.InvalInode, msg.Length);
        var body = new FuseNotifyInvalInodeOut { Ino = node, Off = offset, Len = 0 };
        MemoryMarshal.Write(msg[FuseReplyBuilder.HeaderSize..], in body);
        Send(msg, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>FUSE_NOTIFY_INVAL_ENTRY: forget (parent, name), positive or negative.</summary>
    private void Entry(ulong parent, string? name)
    {
        if (parent == 0 || name is null || !_nodes.IsKnown(parent)) return;
        var nameBytes = CName(name);
        if (nameBytes is null) return;
        Span<byte> msg = stackalloc byte[FuseReplyBuilder.HeaderSize + Marshal.SizeOf<FuseNotifyInvalEntryOut>()];
        FuseReplyBuilder.WriteNotifyHeader(msg, FuseNotifyCode.InvalEntry, msg.Length + nameBytes.Length);
        var body = new FuseNotifyInvalEntryOut { Parent = parent, NameLen = (uint)(nameBytes.Length - 1) };
        MemoryMarshal.Write(msg[FuseReplyBuilder.HeaderSize..], in body);
        Send(msg, nameBytes);
    }

    /// <summary>The name's on-disk bytes (NameEncoding, as the kernel knows the entry) and a NUL; null for a string no Vfs name can be.</summary>
    private static byte[]? CName(string name)
    {
        var length = NameEncoding.GetByteCount(name);
        if (length < 0) return null;
        var bytes = new byte[length + 1];
        NameEncoding.TryEncode(name, bytes, out _);
        return bytes;
    }

    /// <summary>FUSE_NOTIFY_DELETE: the entry is gone (also tells inotify watchers on the mount). 0 or errno.</summary>
    private int Delete(ulong parent, ulong child, string name)
    {
        var nameBytes = CName(name);
        if (nameBytes is null) return FuseErrno.EINVAL;
        Span<byte> msg = stackalloc byte[FuseReplyBuilder.HeaderSize + Marshal.SizeOf<FuseNotifyDeleteOut>()];
        FuseReplyBuilder.WriteNotifyHeader(msg, FuseNotifyCode.Delete, msg.Length + nameBytes.Length);
        var body = new FuseNotifyDeleteOut { Parent = parent, Child = child, NameLen = (uint)(nameBytes.Length - 1) };
        MemoryMarshal.Write(msg[FuseReplyBuilder.HeaderSize..], in body);
        return Send(msg, nameBytes);
    }

    private int Send(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        if (_dev.IsClosed) return FuseErrno.ENODEV;
        var err = _dev.Write(header, payload);
        // ENOENT: the kernel no longer has that inode or entry, which is what we wanted anyway.
        if (err == 0) Interlocked.Increment(ref _sent);
        else if (err != FuseErrno.ENOENT && err != FuseErrno.ENOTDIR) _log($"fuse: notification failed: errno {err}");
        return err;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread?.Join(TimeSpan.FromSeconds(5));
    }
}
