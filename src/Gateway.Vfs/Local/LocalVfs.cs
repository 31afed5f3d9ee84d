using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gateway.Vfs.Events;
using Gateway.Vfs.Locking;
using Gateway.Vfs.Native;
using Gateway.Vfs.Store;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

public sealed record LocalVfsOptions
{
    public bool ReadOnly { get; init; }
    /// <summary>Watch the tree with inotify so renames and deletes made outside the gateway are seen.</summary>
    public bool WatchExternalChanges { get; init; } = true;
}

/// <summary>
/// The local backend: an existing directory served through O_PATH descriptors and *at() calls, never a
/// path string that could wander out of the export. Split by concern into partial files
/// (Attributes, Namespace, Io, ReadDir, Xattr).
/// </summary>
public sealed partial class LocalVfs : IVfs
{
    private readonly GatewayStore _store;
    private readonly NodeIndex _index;
    private readonly IoHandleCache _ioHandles = new(IoHandleCache.DefaultCapacity);
    private readonly ConcurrentDictionary<ulong, (DosAttributes? Dos, long? CreationTime)> _windowsInfo;
    private readonly ExternalChangeWatcher? _watcher;
    private bool _disposed;

    private LocalVfs(GatewayStore store, string name, string rootPath, LocalVfsOptions options)
    {
        _store = store;
        Name = name;
        RootPath = rootPath;
        ReadOnly = options.ReadOnly;
        WriteVerifier = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var exportId = store.EnsureExport(name, rootPath);
        _index = new NodeIndex(store, exportId, rootPath);
        _windowsInfo = new ConcurrentDictionary<ulong, (DosAttributes?, long?)>(
            store.LoadWindowsInfo(exportId).Select(kv => KeyValuePair.Create(kv.Key.Value, kv.Value)));
        Locks = new LockManager(new SqliteLockStore(store, exportId));
        _index.Forgotten += rec =>
        {
            _windowsInfo.TryRemove(rec.Id.Value, out _);
            _listings.TryRemove(rec.Id.Value, out _);
            Locks.ReleaseNode(rec.Id); // a file that is gone holds no locks
        };
        if (store.RecoveredFromCrash) LastReconcile = _index.Reconcile();
        if (options.WatchExternalChanges)
        {
            _watcher = new ExternalChangeWatcher(_index, Changes, InvalidateListing);
            _watcher.Start();
        }
    }

    /// <summary>Opens (and on first use registers) an export of <paramref name="rootPath"/> named <paramref name="name"/>.</summary>
    public static LocalVfs Open(GatewayStore store, string name, string rootPath, LocalVfsOptions? options = null)
    {
        var full = System.IO.Path.GetFullPath(rootPath);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{rootPath} is not a directory");
        return new LocalVfs(store, name, full, options ?? new LocalVfsOptions());
    }

    public string Name { get; }
    public string RootPath { get; }
    public int ExportId => _index.ExportId;
    public NodeId Root => _index.Root.Id;
    public bool ReadOnly { get; }
    public ulong WriteVerifier { get; }
    public ChangeFeed Changes { get; } = new();
    public LockManager Locks { get; }

    /// <summary>Nodes in the index (for status output and tests).</summary>
    public int NodeCount => _index.Count;

    /// <summary>What the crash recovery pass found, when the previous run ended without closing the store.</summary>
    public (int Checked, int Repaired, int Dropped)? LastReconcile { get; }

    /// <summary>Is inotify running (false when disabled or when the kernel refused)?</summary>
    public bool WatchingExternalChanges => _watcher?.Running == true;

    /// <summary>Every live node and its path from the export root, as the index believes (for checks and status).</summary>
    public IEnumerable<(NodeId Node, string Path)> IndexedPaths()
    {
        foreach (var rec in _index.All)
        {
            if (rec.Lost || ReferenceEquals(rec, _index.Root)) continue;
            if (_index.RelativePath(rec) is { } path) yield return (rec.Id, path);
        }
    }

    /// <summary>Processes the inotify events already queued; tests use it instead of sleeping.</summary>
    public void SyncExternalChanges() => _watcher?.Drain();

    private VfsStatus Node(NodeId id, out NodeRecord rec) => _index.Resolve(id, out rec);

    /// <summary>statx of a node through its descriptor; a file whose last link is gone is Stale.</summary>
    private VfsStatus Stat(NodeRecord rec, out VfsAttributes attrs)
    {
        attrs = default;
        var status = _index.Lease(rec, out var lease);
        if (status != VfsStatus.Ok) return status;
        int err;
        StatxBuffer st;
        using (lease) err = Sys.StatFd(lease.Fd, out st);
        if (err != 0) return Errno.ToStatus(err);
        if (st.Nlink == 0 && !rec.IsDirectory)
        {
            _index.Forget(rec);
            return VfsStatus.Stale;
        }
        attrs = ToAttributes(rec, st);
        return VfsStatus.Ok;
    }

    private VfsResult<VfsAttributes> StatResult(NodeRecord rec) =>
        Stat(rec, out var a) is var s && s == VfsStatus.Ok ? a : s;

    private VfsAttributes ToAttributes(NodeRecord rec, in StatxBuffer st)
    {
        var type = Sys.TypeOf(st.Mode);
        var btime = (st.Mask & LibC.STATX_BTIME) != 0 ? st.Btime.ToUnixNanoseconds() : st.Mtime.ToUnixNanoseconds();
        _windowsInfo.TryGetValue(rec.Id.Value, out var win);
        var dos = win.Dos ?? DefaultDosAttributes(rec, type, st.Mode);
        dos = type == FileType.Directory ? (dos | DosAttributes.Directory) & ~DosAttributes.Normal : dos & ~DosAttributes.Directory;
        return new VfsAttributes(
            rec.Id, type, st.Mode & 0xFFFu, st.Nlink, st.Uid, st.Gid, st.Size, st.Blocks * 512,
            st.RdevMajor, st.RdevMinor, st.Dev,
            st.Atime.ToUnixNanoseconds(), st.Mtime.ToUnixNanoseconds(), st.Ctime.ToUnixNanoseconds(),
            win.CreationTime ?? btime, dos);
    }

    private DosAttributes DefaultDosAttributes(NodeRecord rec, FileType type, uint mode)
    {
        var dos = type == FileType.Directory ? DosAttributes.Directory : DosAttributes.Archive;
        if ((mode & 0x80) == 0 && type != FileType.Directory) dos |= DosAttributes.ReadOnly;
        if (rec.Name.StartsWith('.') && !ReferenceEquals(rec, _index.Root)) dos |= DosAttributes.Hidden;
        return dos;
    }

    /// <summary>Resolves a directory that is about to change: it must exist, be a directory, and be writable and searchable by the caller.</summary>
    private VfsStatus DirForChange(Principal caller, NodeId dir, out NodeRecord rec, out VfsAttributes attrs)
    {
        attrs = default;
        if (ReadOnly)
        {
            rec = null!;
            return VfsStatus.ReadOnly;
        }
        var s = Node(dir, out rec);
        if (s != VfsStatus.Ok) return s;
        if (!rec.IsDirectory) return VfsStatus.NotDirectory;
        s = Stat(rec, out attrs);
        if (s != VfsStatus.Ok) return s;
        return Permissions.Allowed(attrs, caller, Permissions.W | Permissions.X) ? VfsStatus.Ok : VfsStatus.AccessDenied;
    }

    private DirChange DirAfter(NodeRecord dir, in VfsAttributes before) =>
        new(WccAttributes.From(before), Stat(dir, out var after) == VfsStatus.Ok ? after : null);

    private void Publish(ChangeKind kind, NodeRecord dir, string? name, NodeId node) =>
        Changes.Publish(new VfsChange(kind, dir.Id, name, node, External: false));

    /// <summary>
    /// A lease on the descriptor for data I/O on a regular file, opened once and cached (NFSv3 has no
    /// open/close); at most <see cref="IoHandleCache.DefaultCapacity"/> stay cached, the least used closed first.
    /// </summary>
    private VfsStatus IoHandle(NodeRecord rec, bool write, out FdLease io)
    {
        io = default;
        if (rec.Type == FileType.Directory) return VfsStatus.IsDirectory;
        if (rec.Type != FileType.Regular) return VfsStatus.Invalid;
        if (write && ReadOnly) return VfsStatus.ReadOnly;
        // Two tries: a descriptor evicted between adopting and leasing it is simply opened again.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var cached = Volatile.Read(ref rec.IoFd);
            if (cached is not null && (rec.IoWritable || !write) && FdLease.TryTake(cached, out io))
            {
                rec.IoReferenced = true;
                return VfsStatus.Ok;
            }
            var s = _index.Lease(rec, out var lease);
            if (s != VfsStatus.Ok) return s;
            int err, fd;
            var writable = !ReadOnly;
            using (lease)
            {
                err = Sys.Reopen(lease.Fd, writable ? LibC.O_RDWR : LibC.O_RDONLY, out fd);
                if (err is Errno.EACCES or Errno.EROFS or Errno.ETXTBSY && !write)
                {
                    writable = false;
                    err = Sys.Reopen(lease.Fd, LibC.O_RDONLY, out fd);
                }
            }
            if (err != 0) return Errno.ToStatus(err);
            if (FdLease.TryTake(AdoptIoHandle(rec, fd, writable), out io)) return VfsStatus.Ok;
        }
        return VfsStatus.Io;
    }

    private SafeFileHandle AdoptIoHandle(NodeRecord rec, int fd, bool writable)
    {
        var fresh = new SafeFileHandle(fd, ownsHandle: true);
        var old = Interlocked.Exchange(ref rec.IoFd, fresh);
        rec.IoWritable = writable;
        old?.Dispose(); // a lease in flight holds its own reference; the descriptor closes when it is released
        _ioHandles.Adopted(rec);
        return fresh;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _watcher?.Dispose();
        _index.Dispose();
    }
}
