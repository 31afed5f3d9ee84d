using System.Collections.Concurrent;
using Gateway.Vfs.Native;
using Gateway.Vfs.Store;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

/// <summary>
/// NodeId ⇄ file on disk for one export. Memory holds the working index (by id, by inode, by name);
/// the Store holds its persistent copy, written before a new id is handed out. A node is re-found
/// beneath the root by its (parent, name) chain and checked by (device, inode, birth time): a
/// mismatch is repaired (the file was renamed in its directory) or reported Stale, never guessed.
/// </summary>
internal sealed partial class NodeIndex : IDisposable
{
    private const int MaxCachedDescriptors = 4096;

    private readonly GatewayStore _store;
    private readonly ConcurrentDictionary<ulong, NodeRecord> _byId = new();
    private readonly Dictionary<(ulong Dev, ulong Ino), NodeRecord> _byInode = new();
    private readonly Dictionary<(ulong Parent, string Name), NodeRecord> _byName = new();
    private readonly object _lock = new();
    private readonly SafeFileHandle _rootFd;
    private int _cachedDescriptors;
    private long _clock;
    private ulong _maxNodeId;

    public NodeIndex(GatewayStore store, int exportId, string rootPath)
    {
        _store = store;
        ExportId = exportId;
        if (Sys.OpenAt(LibC.AT_FDCWD, rootPath, LibC.O_PATH | LibC.O_DIRECTORY, 0, out var fd) != 0)
            throw new IOException($"cannot open export root {rootPath}: {new System.ComponentModel.Win32Exception(LibC.LastError).Message}");
        _rootFd = new SafeFileHandle(fd, ownsHandle: true);
        if (Sys.StatFd(fd, out var st) != 0) throw new IOException($"cannot stat export root {rootPath}");

        foreach (var row in store.LoadNodes(exportId))
        {
            var rec = new NodeRecord(row.Id, row.Dev, row.Ino, row.Gen, row.Type, row.Parent, row.Name, row.CreateVerifier);
            _byId[row.Id.Value] = rec;
            _byInode[(row.Dev, row.Ino)] = rec;
            _byName[(row.Parent.Value, row.Name)] = rec;
        }
        _maxNodeId = store.MaxNodeId();

        var rootId = store.GetExportRoot(exportId);
        if (rootId is { } id && _byId.TryGetValue(id.Value, out var root) && root.Dev == st.Dev && root.Ino == st.Ino)
        {
            Root = root;
        }
        else
        {
            Root = Insert(st, NodeId.None, "", null);
            store.SetExportRoot(exportId, Root.Id);
        }
        Root.PathFd = _rootFd;
    }

    public int ExportId { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ulong Dir, string Name), int> _ownChanges = new();

    /// <summary>
    /// Marks (dir, name) as being changed by the gateway itself until disposed, so the watcher leaves the
    /// inotify events of that change alone: the operation updates the index itself.
    /// </summary>
    public OwnChange BeginOwnChange(NodeId dir, string name)
    {
        _ownChanges.AddOrUpdate((dir.Value, name), 1, static (_, n) => n + 1);
        return new OwnChange(this, dir, name);
    }

    public bool IsOwnChange(NodeId dir, string name) => !_ownChanges.IsEmpty && _ownChanges.ContainsKey((dir.Value, name));

    private void EndOwnChange(NodeId dir, string name)
    {
        var key = (dir.Value, name);
        while (_ownChanges.TryGetValue(key, out var n))
        {
            if (n <= 1 ? _ownChanges.TryRemove(KeyValuePair.Create(key, n)) : _ownChanges.TryUpdate(key, n - 1, n)) return;
        }
    }

    public readonly struct OwnChange(NodeIndex index, NodeId dir, string name) : IDisposable
    {
        public void Dispose() => index.EndOwnChange(dir, name);
    }

    public NodeRecord Root { get; }

    public int Count => _byId.Count;

    /// <summary>Raised (outside the index lock) for every directory that becomes known, so it can be watched.</summary>
    public event Action<NodeRecord>? DirectoryKnown;

    public IEnumerable<NodeRecord> All => _byId.Values;

    public VfsStatus Resolve(NodeId id, out NodeRecord record)
    {
        if (_byId.TryGetValue(id.Value, out record!))
            return record.Lost ? VfsStatus.Stale : VfsStatus.Ok;
        if (id.IsNone) return VfsStatus.BadHandle;
        // Not ours: another export's node is a bad handle here; an id we handed out once and dropped is stale.
        var owner = _store.GetNodeExport(id);
        if (owner is { } e && e != ExportId) return VfsStatus.BadHandle;
        return id.Value <= Volatile.Read(ref _maxNodeId) ? VfsStatus.Stale : VfsStatus.BadHandle;
    }

    public NodeRecord? FindByName(NodeRecord dir, string name)
    {
        lock (_lock) return _byName.GetValueOrDefault((dir.Id.Value, name));
    }

    public NodeRecord? FindByInode(ulong dev, ulong ino)
    {
        lock (_lock) return _byInode.GetValueOrDefault((dev, ino));
    }

    /// <summary>
    /// Returns the node for a file just found at (dir, name), registering it if new. A known inode whose
    /// birth time differs is a different file that reused the inode: the old node is dropped (its handles go stale).
    /// </summary>
    public NodeRecord Register(NodeRecord dir, string name, in StatxBuffer st, ulong? createVerifier = null)
    {
        NodeRecord rec;
        var gen = Sys.GenerationOf(st);
        lock (_lock)
        {
            if (_byInode.TryGetValue((st.Dev, st.Ino), out var known))
            {
                if (known.Gen == gen && known.Type == Sys.TypeOf(st.Mode))
                {
                    if (known.Lost || !(known.Parent == dir.Id && known.Name == name) && !StillAt(known))
                        MoveLocked(known, dir.Id, name);
                    known.Lost = false;
                    SawChangeTime(known, st);
                    return known;
                }
                ForgetLocked(known);
            }
            rec = Insert(st, dir.Id, name, createVerifier);
            SawChangeTime(rec, st);
        }
        if (rec.IsDirectory) DirectoryKnown?.Invoke(rec);
        return rec;
    }

    // Caller holds _lock (or is the constructor).
    private NodeRecord Insert(in StatxBuffer st, NodeId parent, string name, ulong? createVerifier)
    {
        var type = Sys.TypeOf(st.Mode);
        var gen = Sys.GenerationOf(st);
        var id = _store.InsertNode(ExportId, st.Dev, st.Ino, gen, parent, name, type, createVerifier);
        var rec = new NodeRecord(id, st.Dev, st.Ino, gen, type, parent, name, createVerifier);
        if (_byName.TryGetValue((parent.Value, name), out var shadowed) && shadowed.Parent == parent)
            _byName.Remove((parent.Value, name));
        _byId[id.Value] = rec;
        _byInode[(st.Dev, st.Ino)] = rec;
        if (!parent.IsNone) _byName[(parent.Value, name)] = rec;
        if (id.Value > _maxNodeId) Volatile.Write(ref _maxNodeId, id.Value);
        return rec;
    }

    /// <summary>Records that a node now lives at (dir, name), in memory and in the Store.</summary>
    public void Move(NodeRecord rec, NodeId dir, string name)
    {
        lock (_lock) MoveLocked(rec, dir, name);
    }

    private void MoveLocked(NodeRecord rec, NodeId dir, string name)
    {
        if (_byName.TryGetValue((rec.Parent.Value, rec.Name), out var current) && ReferenceEquals(current, rec))
            _byName.Remove((rec.Parent.Value, rec.Name));
        if (_byName.TryGetValue((dir.Value, name), out var displaced) && !ReferenceEquals(displaced, rec))
            displaced.Lost = true; // its name now belongs to rec; a later lookup re-finds it if it still exists
        _store.MoveNode(rec.Id, dir, name);
        rec.Parent = dir;
        rec.Name = name;
        rec.Lost = false;
        _byName[(dir.Value, name)] = rec;
    }

    /// <summary>The name (dir, name) no longer exists. The node is forgotten unless another link keeps it alive.</summary>
    public void Unlinked(NodeRecord rec, bool lastLink)
    {
        lock (_lock)
        {
            if (lastLink) ForgetLocked(rec);
            else if (_byName.TryGetValue((rec.Parent.Value, rec.Name), out var cur) && ReferenceEquals(cur, rec))
                _byName.Remove((rec.Parent.Value, rec.Name)); // the descriptor cache still reaches it; a lookup of another link re-homes it
        }
    }

    /// <summary>Marks a node unreachable (moved out of sight) without deleting its row: a later lookup revives the same id.</summary>
    public void MarkLost(NodeRecord rec)
    {
        lock (_lock)
        {
            rec.Lost = true;
            if (_byName.TryGetValue((rec.Parent.Value, rec.Name), out var cur) && ReferenceEquals(cur, rec))
                _byName.Remove((rec.Parent.Value, rec.Name));
            CloseDescriptors(rec);
        }
    }

    public void Forget(NodeRecord rec)
    {
        lock (_lock) ForgetLocked(rec);
    }

    private void ForgetLocked(NodeRecord rec)
    {
        // Idempotent: the watcher and the operation that caused an event may both get here.
        if (ReferenceEquals(rec, Root) || !_byId.TryRemove(KeyValuePair.Create(rec.Id.Value, rec))) return;
        rec.Lost = true;
        if (_byInode.TryGetValue((rec.Dev, rec.Ino), out var i) && ReferenceEquals(i, rec)) _byInode.Remove((rec.Dev, rec.Ino));
        if (_byName.TryGetValue((rec.Parent.Value, rec.Name), out var n) && ReferenceEquals(n, rec)) _byName.Remove((rec.Parent.Value, rec.Name));
        CloseDescriptors(rec);
        _seenChangeTime.TryRemove(rec.Id.Value, out _);
        _store.DeleteNode(rec.Id);
        Forgotten?.Invoke(rec);
    }

    /// <summary>Raised under the index lock when a node is dropped for good (locks and watches let go of it).</summary>
    public event Action<NodeRecord>? Forgotten;

    /// <summary>
    /// Takes a reference on the node's O_PATH descriptor, opening it if needed. Opening walks from the
    /// parent's descriptor (one validated name, O_NOFOLLOW) or, when none is cached, from the export root
    /// with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), then checks that it found the same file.
    /// </summary>
    public VfsStatus Lease(NodeRecord rec, out FdLease lease)
    {
        lease = default;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            if (rec.Lost) return VfsStatus.Stale;
            var handle = Volatile.Read(ref rec.PathFd);
            if (handle is null)
            {
                var status = Open(rec, out handle, allowRepair: true);
                if (status != VfsStatus.Ok) return status;
            }
            if (!FdLease.TryTake(handle, out lease))
            {
                Interlocked.CompareExchange(ref rec.PathFd, null, handle);
                continue; // evicted between read and use: open again
            }
            rec.LastUsed = Interlocked.Increment(ref _clock);
            return VfsStatus.Ok;
        }
        return VfsStatus.Io;
    }

    private VfsStatus Open(NodeRecord rec, out SafeFileHandle handle, bool allowRepair)
    {
        handle = null!;
        int fd, err;
        var parent = _byId.GetValueOrDefault(rec.Parent.Value);
        var parentFd = parent is null ? null : Volatile.Read(ref parent.PathFd);
        var added = false;
        if (parentFd is not null)
        {
            try { parentFd.DangerousAddRef(ref added); } catch (ObjectDisposedException) { }
        }
        try
        {
            err = added
                ? Sys.OpenAt((int)parentFd!.DangerousGetHandle(), rec.Name, LibC.O_PATH | LibC.O_NOFOLLOW, 0, out fd)
                : OpenFromRoot(rec, out fd);
        }
        finally
        {
            if (added) parentFd!.DangerousRelease();
        }

        if (err == 0 && Sys.StatFd(fd, out var st) == 0 && Matches(rec, st))
        {
            var fresh = new SafeFileHandle(fd, ownsHandle: true);
            var existing = Interlocked.CompareExchange(ref rec.PathFd, fresh, null);
            if (existing is not null)
            {
                fresh.Dispose();
                handle = existing;
                return VfsStatus.Ok;
            }
            handle = fresh;
            if (Interlocked.Increment(ref _cachedDescriptors) > MaxCachedDescriptors) EvictDescriptors();
            return VfsStatus.Ok;
        }
        if (err == 0) Sys.Close(fd);
        if (allowRepair && Repair(rec)) return Open(rec, out handle, allowRepair: false);
        MarkLost(rec);
        return VfsStatus.Stale;
    }

    private int OpenFromRoot(NodeRecord rec, out int fd)
    {
        var path = RelativePath(rec);
        if (path is null)
        {
            fd = -1;
            return Errno.ENOENT;
        }
        return Sys.OpenBeneath((int)_rootFd.DangerousGetHandle(), path, LibC.O_PATH | LibC.O_NOFOLLOW, out fd);
    }

    /// <summary>Path from the export root, or null when a parent is unknown (the chain is broken).</summary>
    public string? RelativePath(NodeRecord rec)
    {
        if (ReferenceEquals(rec, Root)) return ".";
        var parts = new List<string>();
        var cur = rec;
        for (var depth = 0; depth < 4096; depth++)
        {
            parts.Add(cur.Name);
            if (cur.Parent == Root.Id)
            {
                parts.Reverse();
                return string.Join('/', parts);
            }
            if (!_byId.TryGetValue(cur.Parent.Value, out cur!) || cur.Lost) return null;
        }
        return null;
    }

    private static bool Matches(NodeRecord rec, in StatxBuffer st) =>
        st.Dev == rec.Dev && st.Ino == rec.Ino && Sys.GenerationOf(st) == rec.Gen && (st.Nlink > 0 || rec.IsDirectory);

    private bool StillAt(NodeRecord rec)
    {
        if (!_byId.TryGetValue(rec.Parent.Value, out var parent) || parent.Lost) return false;
        if (Lease(parent, out var lease) != VfsStatus.Ok) return false;
        using (lease)
            return Sys.StatAt(lease.Fd, rec.Name, out var st) == 0 && st.Dev == rec.Dev && st.Ino == rec.Ino;
    }

    /// <summary>
    /// The node is not where the index says. If it was renamed within the same directory (an editor's
    /// save-by-rename, a crash between the disk change and the Store update), find it by inode and
    /// re-home it; otherwise mark it lost.
    /// </summary>
    public bool Repair(NodeRecord rec)
    {
        if (ReferenceEquals(rec, Root)) return false;
        if (_byId.TryGetValue(rec.Parent.Value, out var parent) && !parent.Lost && Lease(parent, out var lease) == VfsStatus.Ok)
        {
            using (lease)
            {
                foreach (var (name, ino, _) in DirectoryReader.Read(lease.Fd))
                {
                    if (ino != rec.Ino) continue;
                    if (Sys.StatAt(lease.Fd, name, out var st) == 0 && st.Dev == rec.Dev && Sys.GenerationOf(st) == rec.Gen)
                    {
                        Move(rec, parent.Id, name);
                        return true;
                    }
                }
            }
        }
        MarkLost(rec);
        return false;
    }

    /// <summary>After a crash: check every node against the disk, re-home what moved, drop what is gone.</summary>
    public (int Checked, int Repaired, int Dropped) Reconcile()
    {
        int checkedCount = 0, repaired = 0, dropped = 0;
        var records = new List<NodeRecord>(_byId.Values);
        records.Sort((a, b) => Depth(a).CompareTo(Depth(b)));
        foreach (var rec in records)
        {
            if (ReferenceEquals(rec, Root)) continue;
            checkedCount++;
            var before = (rec.Parent, rec.Name);
            if (Lease(rec, out var lease) == VfsStatus.Ok)
            {
                lease.Dispose();
                if ((rec.Parent, rec.Name) != before) repaired++;
                continue;
            }
            Forget(rec);
            dropped++;
        }
        return (checkedCount, repaired, dropped);
    }

    private int Depth(NodeRecord rec)
    {
        var d = 0;
        for (var cur = rec; d < 4096 && !cur.Parent.IsNone && _byId.TryGetValue(cur.Parent.Value, out cur!); d++) { }
        return d;
    }

    public void CloseDescriptors(NodeRecord rec)
    {
        if (ReferenceEquals(rec, Root)) return;
        var p = Interlocked.Exchange(ref rec.PathFd, null);
        if (p is not null)
        {
            p.Dispose();
            Interlocked.Decrement(ref _cachedDescriptors);
        }
        Interlocked.Exchange(ref rec.IoFd, null)?.Dispose();
    }

    /// <summary>Closes the least recently used half of the cached descriptors; leases in flight keep theirs alive until released.</summary>
    private void EvictDescriptors()
    {
        var open = new List<NodeRecord>();
        foreach (var r in _byId.Values)
            if (r.PathFd is not null && !ReferenceEquals(r, Root)) open.Add(r);
        open.Sort((a, b) => a.LastUsed.CompareTo(b.LastUsed));
        for (var i = 0; i < open.Count / 2; i++) CloseDescriptors(open[i]);
    }

    /// <summary>Drops every cached descriptor: after an inotify overflow nothing cached can be trusted.</summary>
    public void DropAllDescriptors()
    {
        foreach (var r in _byId.Values) CloseDescriptors(r);
    }

    public void Dispose()
    {
        foreach (var r in _byId.Values) CloseDescriptors(r);
        _rootFd.Dispose();
    }
}
