using System.Buffers.Binary;
using System.Collections.Concurrent;
using Gateway.Vfs.Events;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

/// <summary>
/// Keeps the node index honest about changes made outside the gateway (an editor's save, git checkout,
/// a shell mv/rm) with inotify on every directory the gateway knows. Moves inside watched directories
/// re-home the node (its NodeId keeps working); a file deleted or moved out of sight goes stale.
/// Events for what the gateway itself just did find the index already updated and are not republished.
/// </summary>
internal sealed unsafe class ExternalChangeWatcher : IDisposable
{
    private const uint IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80,
        IN_CREATE = 0x100, IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000,
        IN_ONLYDIR = 0x01000000, IN_EXCL_UNLINK = 0x04000000;
    private const int IN_NONBLOCK = 0x800, IN_CLOEXEC = 0x80000;
    private const uint WatchMask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE
        | IN_DELETE | IN_DELETE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;

    private readonly NodeIndex _index;
    private readonly ChangeFeed _feed;
    private readonly Action<NodeId> _invalidateListing;
    private readonly ConcurrentDictionary<int, NodeId> _watches = new();
    private readonly object _processing = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    /// <summary>Files with an IN_MODIFY reported since their last IN_CLOSE_WRITE (used under _processing only).</summary>
    private readonly HashSet<ulong> _modifiedSinceClose = new();
    private int _fd = -1;
    private Thread? _thread;
    private volatile bool _stopping;

    public ExternalChangeWatcher(NodeIndex index, ChangeFeed feed, Action<NodeId> invalidateListing)
    {
        _index = index;
        _feed = feed;
        _invalidateListing = invalidateListing;
    }

    public bool Running => _fd >= 0 && !_stopping;

    public int WatchCount => _watches.Count;

    public void Start()
    {
        _fd = LibC.InotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
        if (_fd < 0) return; // no inotify (or out of instances): outside changes are found lazily by lookups
        _index.DirectoryKnown += Watch;
        foreach (var rec in _index.All)
            if (rec.IsDirectory && !rec.Lost) Watch(rec);
        _thread = new Thread(Loop) { IsBackground = true, Name = "vfs-inotify" };
        _thread.Start();
    }

    private void Watch(NodeRecord dir)
    {
        if (_fd < 0 || _index.Lease(dir, out var lease) != VfsStatus.Ok) return;
        using (lease)
        {
            Span<byte> scratch = stackalloc byte[32];
            var path = Names.ProcFdPath(lease.Fd, scratch);
            int wd;
            fixed (byte* p = path) wd = LibC.InotifyAddWatch(_fd, p, WatchMask);
            if (wd >= 0)
            {
                _watches[wd] = dir.Id;
                dir.WatchDescriptor = wd;
            }
        }
    }

    private void Loop()
    {
        var pfd = new PollFd { Fd = _fd, Events = 1 /* POLLIN */ };
        while (!_stopping)
        {
            if (LibC.Poll(&pfd, 1, 200) <= 0) continue;
            // Let a burst of events gather (an rm -rf, a checkout, our own creates) and take them in one read.
            Thread.Sleep(2);
            Drain();
        }
    }

    /// <summary>Reads and applies every event queued so far.</summary>
    public void Drain()
    {
        lock (_processing)
        {
            if (_fd < 0) return;
            while (true)
            {
                nint n;
                fixed (byte* b = _buffer) n = LibC.Read(_fd, b, (nuint)_buffer.Length);
                if (n <= 0) return;
                Process(_buffer.AsSpan(0, (int)n));
            }
        }
    }

    // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
    private void Process(ReadOnlySpan<byte> events)
    {
        var pendingMoves = new Dictionary<uint, (NodeRecord Dir, string Name)>();
        for (var pos = 0; pos + 16 <= events.Length;)
        {
            var wd = BinaryPrimitives.ReadInt32LittleEndian(events[pos..]);
            var mask = BinaryPrimitives.ReadUInt32LittleEndian(events[(pos + 4)..]);
            var cookie = BinaryPrimitives.ReadUInt32LittleEndian(events[(pos + 8)..]);
            var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(events[(pos + 12)..]);
            var rawName = events.Slice(pos + 16, len);
            var nul = rawName.IndexOf((byte)0);
            var name = NameEncoding.Decode(nul >= 0 ? rawName[..nul] : rawName);
            pos += 16 + len;

            if ((mask & IN_Q_OVERFLOW) != 0)
            {
                _index.DropAllDescriptors(); // every cached location is suspect; leases re-verify from the root
                _feed.Publish(new VfsChange(ChangeKind.Overflow, NodeId.None, null, NodeId.None, External: true));
                continue;
            }
            if (!_watches.TryGetValue(wd, out var dirId)) continue;
            if ((mask & (IN_IGNORED | IN_DELETE_SELF)) != 0)
            {
                _watches.TryRemove(wd, out _);
                continue;
            }
            if (_index.Resolve(dirId, out var dir) != VfsStatus.Ok || name.Length == 0) continue;

            if ((mask & IN_MOVED_FROM) != 0)
            {
                // Checked when its IN_MOVED_TO comes (the node is then found at its new name by inode), or at the end.
                pendingMoves[cookie] = (dir, name);
                _invalidateListing(dirId);
            }
            else if ((mask & IN_MOVED_TO) != 0)
            {
                _invalidateListing(dirId);
                Check(dir, name, movedAway: false);
                if (pendingMoves.Remove(cookie, out var from)) Check(from.Dir, from.Name, movedAway: false);
            }
            else if ((mask & IN_CREATE) != 0)
            {
                _invalidateListing(dirId);
                // A name the index already holds was (re)made by the gateway itself, or an outside replacement
                // whose IN_DELETE, checked first, has already put the index right: nothing to ask the disk.
                if (_index.FindByName(dir, name) is null) Check(dir, name, movedAway: false);
            }
            else if ((mask & IN_DELETE) != 0)
            {
                _invalidateListing(dirId);
                Check(dir, name, movedAway: false);
            }
            else if ((mask & (IN_MODIFY | IN_CLOSE_WRITE)) != 0)
            {
                if (_index.FindByName(dir, name) is not { } known || _index.IsOwnChange(dirId, name)) continue;
                if ((mask & IN_MODIFY) != 0)
                {
                    if (_modifiedSinceClose.Count > 65536) _modifiedSinceClose.Clear();
                    _modifiedSinceClose.Add(known.Id.Value);
                    _feed.Publish(new VfsChange(ChangeKind.DataModified, dirId, name, known.Id, External: true));
                }
                // A close after writes already reported adds nothing (each write after the last IN_MODIFY we
                // read queues another). A close with no IN_MODIFY before it is mostly one of the gateway's own
                // descriptors opened for writing and closed unwritten, but could follow writes through mmap,
                // which inotify does not report: the file's ctime, against the one last seen, tells.
                else if (!_modifiedSinceClose.Remove(known.Id.Value) && !_index.UnchangedSinceSeen(dir, known, name))
                {
                    _feed.Publish(new VfsChange(ChangeKind.DataModified, dirId, name, known.Id, External: true));
                }
            }
            else if ((mask & IN_ATTRIB) != 0)
            {
                if (_index.FindByName(dir, name) is { } known && !_index.IsOwnChange(dirId, name))
                    _feed.Publish(new VfsChange(ChangeKind.AttributesModified, dirId, name, known.Id, External: true));
            }
        }

        // A move whose other half never came went somewhere we do not watch (or out of the export).
        foreach (var (_, from) in pendingMoves) Check(from.Dir, from.Name, movedAway: true);
    }

    /// <summary>
    /// Lets the index compare (dir, name) with the disk (NodeIndex.Revalidate: events are read late and
    /// never applied as they read) and publishes only what actually changed behind the gateway's back.
    /// </summary>
    private void Check(NodeRecord dir, string name, bool movedAway)
    {
        var c = _index.Revalidate(dir, name, movedAway);
        switch (c.Kind)
        {
            case NameCheckKind.Gone:
                // Descendants of a directory that left must not stay reachable through cached descriptors.
                if (c.Displaced!.IsDirectory && c.Displaced.Lost) _index.DropAllDescriptors();
                _feed.Publish(new VfsChange(ChangeKind.Removed, dir.Id, name, c.Displaced.Id, External: true));
                break;
            case NameCheckKind.Appeared:
                if (c.Displaced is { } replaced) Replaced(dir, name, replaced);
                _feed.Publish(new VfsChange(ChangeKind.Created, dir.Id, name, NodeId.None, External: true));
                break;
            case NameCheckKind.MovedHere:
                if (c.Displaced is { } overwritten) Replaced(dir, name, overwritten);
                _feed.Publish(new VfsChange(ChangeKind.Renamed, dir.Id, name, c.Node!.Id, External: true, c.FromDir, c.FromName));
                break;
        }
    }

    /// <summary>Another file took the name of a node (a directory replaced by a file, a save by rename): say it is removed first.</summary>
    private void Replaced(NodeRecord dir, string name, NodeRecord old)
    {
        if (old.IsDirectory && old.Lost) _index.DropAllDescriptors();
        _feed.Publish(new VfsChange(ChangeKind.Removed, dir.Id, name, old.Id, External: true));
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        lock (_processing)
        {
            if (_fd >= 0) LibC.Close(_fd);
            _fd = -1;
        }
    }
}
