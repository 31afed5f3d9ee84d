using Gateway.Vfs.Events;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    public VfsResult<LookupResult> Lookup(Principal caller, NodeId dir, string name)
    {
        var s = Node(dir, out var dirRec);
        if (s != VfsStatus.Ok) return s;
        if (!dirRec.IsDirectory) return VfsStatus.NotDirectory;
        s = Stat(dirRec, out var dirAttrs);
        if (s != VfsStatus.Ok) return s;
        if (!Permissions.Allowed(dirAttrs, caller, Permissions.X)) return VfsStatus.AccessDenied;

        if (name == ".") return new LookupResult(dirRec.Id, dirAttrs, dirAttrs);
        if (name == "..")
        {
            // The export root is its own parent: ".." never leads out of the export.
            if (ReferenceEquals(dirRec, _index.Root)) return new LookupResult(dirRec.Id, dirAttrs, dirAttrs);
            s = Node(dirRec.Parent, out var parent);
            if (s != VfsStatus.Ok) return s;
            s = Stat(parent, out var parentAttrs);
            return s != VfsStatus.Ok ? s : new LookupResult(parent.Id, parentAttrs, dirAttrs);
        }
        s = Names.Validate(name);
        if (s != VfsStatus.Ok) return s;

        s = _index.Lease(dirRec, out var lease);
        if (s != VfsStatus.Ok) return s;
        StatxBuffer st;
        int err;
        using (lease) err = Sys.StatAt(lease.Fd, name, out st);
        if (err != 0) return Errno.ToStatus(err);
        var rec = _index.Register(dirRec, name, st);
        return new LookupResult(rec.Id, ToAttributes(rec, st), dirAttrs);
    }

    public VfsResult<NodeId> LookupPath(Principal caller, string relativePath)
    {
        var cur = Root;
        foreach (var part in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") return VfsStatus.InvalidName;
            var r = Lookup(caller, cur, part);
            if (!r.IsOk) return r.Status;
            if (r.Value.Attributes.Type == FileType.Symlink) return VfsStatus.Loop; // never followed by the server
            cur = r.Value.Node;
        }
        return cur;
    }

    public VfsResult<CreateResult> Create(Principal caller, NodeId dir, string name, CreateHow how)
    {
        var s = Names.Validate(name);
        if (s != VfsStatus.Ok) return s;
        s = DirForChange(caller, dir, out var dirRec, out var before);
        if (s != VfsStatus.Ok) return s;
        var attrs = how.Attributes ?? SetAttributes.None;
        var mode = (attrs.Mode ?? 0x1A4u) & 0xFFF; // 0644 unless the client says
        // Always O_EXCL first, so we know whether we created the file: an UNCHECKED create of an
        // existing file opens it and applies only the attributes the client sent.
        const int flags = LibC.O_CREAT | LibC.O_EXCL | LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY;
        var existed = false;

        s = _index.Lease(dirRec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using var own = _index.BeginOwnChange(dirRec.Id, name);
        int err, fd;
        StatxBuffer st = default;
        using (lease)
        {
            err = Sys.OpenAt(lease.Fd, name, flags, mode, out fd);
            if (err == Errno.EEXIST && how.Mode == CreateMode.Exclusive)
                return RetryOfExclusiveCreate(caller, dirRec, name, how.Verifier, before);
            if (err == Errno.EEXIST && how.Mode == CreateMode.Unchecked)
            {
                existed = true;
                err = Sys.OpenAt(lease.Fd, name, LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_NOCTTY, 0, out fd);
            }
            if (err == Errno.ELOOP) return VfsStatus.Exists; // a symlink is in the way; it is never followed
            if (err != 0) return Errno.ToStatus(err);
            err = Sys.StatFd(fd, out st);
        }
        if (err != 0)
        {
            Sys.Close(fd);
            return Errno.ToStatus(err);
        }
        if (Sys.TypeOf(st.Mode) != FileType.Regular)
        {
            Sys.Close(fd);
            return VfsStatus.Exists;
        }
        var rec = _index.Register(dirRec, name, st, how.Mode == CreateMode.Exclusive ? how.Verifier : null);
        AdoptIoHandle(rec, fd, writable: true);

        // A new file: the process umask may have narrowed the mode, and clients expect exactly what they asked for.
        var fix = existed
            ? attrs with { GuardChangeTime = null }
            : attrs with { Mode = (st.Mode & 0xFFF) != mode ? mode : null, GuardChangeTime = null };
        VfsAttributes created;
        if (fix.IsEmpty)
        {
            created = ToAttributes(rec, st); // nothing changed since the statx of the new descriptor
        }
        else
        {
            s = ApplyAttributes(rec, fix, default);
            if (s != VfsStatus.Ok) return s;
            s = Stat(rec, out created);
            if (s != VfsStatus.Ok) return s;
        }
        Publish(ChangeKind.Created, dirRec, name, rec.Id);
        InvalidateListing(dirRec.Id);
        return new CreateResult(rec.Id, created, DirAfter(dirRec, before));
    }

    /// <summary>
    /// EXCLUSIVE create found the name taken. If it holds the file this same request created (same
    /// verifier: a retransmission after a lost reply), that is success; anything else is Exists.
    /// </summary>
    private VfsResult<CreateResult> RetryOfExclusiveCreate(Principal caller, NodeRecord dirRec, string name, ulong verifier, in VfsAttributes before)
    {
        var found = Lookup(caller, dirRec.Id, name);
        if (!found.IsOk) return VfsStatus.Exists;
        if (Node(found.Value.Node, out var rec) != VfsStatus.Ok || rec.CreateVerifier != verifier) return VfsStatus.Exists;
        return new CreateResult(rec.Id, found.Value.Attributes, new DirChange(WccAttributes.From(before), before));
    }

    public unsafe VfsResult<CreateResult> Mkdir(Principal caller, NodeId dir, string name, SetAttributes? attributes = null)
    {
        var mode = (attributes?.Mode ?? 0x1EDu) & 0xFFF; // 0755
        return MakeNode(caller, dir, name, attributes, mode, (dirfd, path) => LibC.Mkdirat(dirfd, path, mode));
    }

    public unsafe VfsResult<CreateResult> Symlink(Principal caller, NodeId dir, string name, string target, SetAttributes? attributes = null)
    {
        // The target is stored as given, even if it points outside the export: the server never follows it.
        // Its bytes map as names do (NameEncoding), so a target that is not UTF-8 survives the round trip.
        if (string.IsNullOrEmpty(target) || target.Contains('\0')) return VfsStatus.Invalid;
        var length = NameEncoding.GetByteCount(target);
        if (length < 0) return VfsStatus.InvalidName;
        if (length >= 4096) return VfsStatus.NameTooLong;
        var targetBytes = new byte[length + 1];
        NameEncoding.TryEncode(target, targetBytes, out _);
        return MakeNode(caller, dir, name, attributes is null ? null : attributes with { Mode = null }, null, (dirfd, path) =>
        {
            fixed (byte* t = targetBytes) return LibC.Symlinkat(t, dirfd, path);
        });
    }

    public unsafe VfsResult<CreateResult> Mknod(Principal caller, NodeId dir, string name, FileType type, uint mode, uint rdevMajor = 0, uint rdevMinor = 0)
    {
        if (type is not (FileType.Fifo or FileType.Socket or FileType.CharDevice or FileType.BlockDevice)) return VfsStatus.Invalid;
        var bits = Sys.ModeBitsOf(type) | (mode & 0xFFF);
        var dev = type is FileType.CharDevice or FileType.BlockDevice ? StatxBuffer.MakeDev(rdevMajor, rdevMinor) : 0;
        return MakeNode(caller, dir, name, null, mode & 0xFFF, (dirfd, path) => LibC.Mknodat(dirfd, path, bits, dev));
    }

    private unsafe delegate int MakeAt(int dirfd, byte* path);

    private unsafe VfsResult<CreateResult> MakeNode(Principal caller, NodeId dir, string name, SetAttributes? attributes, uint? mode, MakeAt make)
    {
        var s = Names.Validate(name);
        if (s != VfsStatus.Ok) return s;
        s = DirForChange(caller, dir, out var dirRec, out var before);
        if (s != VfsStatus.Ok) return s;
        s = _index.Lease(dirRec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using var own = _index.BeginOwnChange(dirRec.Id, name);
        StatxBuffer st;
        using (lease)
        {
            Span<byte> scratch = stackalloc byte[512];
            var path = Names.ToCString(name, scratch);
            fixed (byte* p = path)
                if (make(lease.Fd, p) != 0) return Errno.ToStatus(LibC.LastError);
            var err = Sys.StatAt(lease.Fd, name, out st);
            if (err != 0) return Errno.ToStatus(err);
        }
        var rec = _index.Register(dirRec, name, st);
        var fix = (attributes ?? SetAttributes.None) with
        {
            Mode = mode is { } m && (st.Mode & 0xFFF) != m ? m : null,
            Size = null,
            GuardChangeTime = null,
        };
        if (!fix.IsEmpty)
        {
            s = ApplyAttributes(rec, fix, default);
            if (s != VfsStatus.Ok) return s;
        }
        s = Stat(rec, out var created);
        if (s != VfsStatus.Ok) return s;
        Publish(ChangeKind.Created, dirRec, name, rec.Id);
        InvalidateListing(dirRec.Id);
        return new CreateResult(rec.Id, created, DirAfter(dirRec, before));
    }

    public VfsResult<DirChange> Remove(Principal caller, NodeId dir, string name) => Unlink(caller, dir, name, directory: false);

    public VfsResult<DirChange> Rmdir(Principal caller, NodeId dir, string name) => Unlink(caller, dir, name, directory: true);

    private unsafe VfsResult<DirChange> Unlink(Principal caller, NodeId dir, string name, bool directory)
    {
        var s = Names.Validate(name);
        if (s != VfsStatus.Ok) return s;
        s = DirForChange(caller, dir, out var dirRec, out var before);
        if (s != VfsStatus.Ok) return s;
        s = _index.Lease(dirRec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using var own = _index.BeginOwnChange(dirRec.Id, name);
        StatxBuffer st;
        using (lease)
        {
            var err = Sys.StatAt(lease.Fd, name, out st);
            if (err != 0) return Errno.ToStatus(err);
            var isDir = Sys.TypeOf(st.Mode) == FileType.Directory;
            if (directory && !isDir) return VfsStatus.NotDirectory;
            if (!directory && isDir) return VfsStatus.IsDirectory;
            var entry = new VfsAttributes { Uid = st.Uid };
            if (!Permissions.MayDeleteFrom(before, entry, caller)) return VfsStatus.NotPermitted;
            Span<byte> scratch = stackalloc byte[512];
            var path = Names.ToCString(name, scratch);
            fixed (byte* p = path)
                if (LibC.Unlinkat(lease.Fd, p, directory ? LibC.AT_REMOVEDIR : 0) != 0)
                    return Errno.ToStatus(LibC.LastError);
        }
        // By inode and birth time: once unlinked, the inode number may already belong to a file made since.
        var rec = _index.FindByInode(st.Dev, st.Ino);
        if (rec is not null && rec.Gen != Sys.GenerationOf(st)) rec = null;
        if (rec is not null) _index.Unlinked(rec, lastLink: directory || st.Nlink <= 1);
        Publish(ChangeKind.Removed, dirRec, name, rec?.Id ?? NodeId.None);
        InvalidateListing(dirRec.Id);
        return DirAfter(dirRec, before);
    }

    public unsafe VfsResult<RenameResult> Rename(Principal caller, NodeId fromDir, string fromName, NodeId toDir, string toName, RenameFlags flags = RenameFlags.None)
    {
        var s = Names.Validate(fromName);
        if (s != VfsStatus.Ok) return s;
        s = Names.Validate(toName);
        if (s != VfsStatus.Ok) return s;
        if ((flags & RenameFlags.NoReplace) != 0 && (flags & RenameFlags.Exchange) != 0) return VfsStatus.Invalid;
        s = DirForChange(caller, fromDir, out var fromRec, out var fromBefore);
        if (s != VfsStatus.Ok) return s;
        s = DirForChange(caller, toDir, out var toRec, out var toBefore);
        if (s != VfsStatus.Ok) return s;

        s = _index.Lease(fromRec, out var fromLease);
        if (s != VfsStatus.Ok) return s;
        using var ownFrom = _index.BeginOwnChange(fromRec.Id, fromName);
        using var ownTo = _index.BeginOwnChange(toRec.Id, toName);
        using (fromLease)
        {
            s = _index.Lease(toRec, out var toLease);
            if (s != VfsStatus.Ok) return s;
            using (toLease)
            {
                var err = Sys.StatAt(fromLease.Fd, fromName, out var src);
                if (err != 0) return Errno.ToStatus(err);
                if (!Permissions.MayDeleteFrom(fromBefore, new VfsAttributes { Uid = src.Uid }, caller)) return VfsStatus.NotPermitted;
                var hadTarget = Sys.StatAt(toLease.Fd, toName, out var dst) == 0;
                if (hadTarget && !Permissions.MayDeleteFrom(toBefore, new VfsAttributes { Uid = dst.Uid }, caller)) return VfsStatus.NotPermitted;

                Span<byte> a = stackalloc byte[512], b = stackalloc byte[512];
                var oldPath = Names.ToCString(fromName, a);
                var newPath = Names.ToCString(toName, b);
                var sysFlags = (flags & RenameFlags.NoReplace) != 0 ? LibC.RENAME_NOREPLACE
                    : (flags & RenameFlags.Exchange) != 0 ? LibC.RENAME_EXCHANGE : 0u;
                fixed (byte* o = oldPath)
                fixed (byte* n = newPath)
                    if (LibC.Renameat2(fromLease.Fd, o, toLease.Fd, n, sysFlags) != 0)
                        return Errno.ToStatus(LibC.LastError);

                var sameFile = hadTarget && src.Dev == dst.Dev && src.Ino == dst.Ino;
                if (!sameFile)
                {
                    var target = hadTarget ? _index.FindByInode(dst.Dev, dst.Ino) : null;
                    if (target is not null && target.Gen != Sys.GenerationOf(dst)) target = null;
                    if ((flags & RenameFlags.Exchange) != 0)
                    {
                        if (target is not null) _index.Move(target, fromRec.Id, fromName);
                    }
                    else if (target is not null)
                    {
                        _index.Unlinked(target, lastLink: Sys.TypeOf(dst.Mode) == FileType.Directory || dst.Nlink <= 1);
                    }
                    var moved = _index.FindByInode(src.Dev, src.Ino);
                    if (moved is not null && moved.Gen == Sys.GenerationOf(src)) _index.Move(moved, toRec.Id, toName);
                    else _index.Register(toRec, toName, src);
                }
            }
        }
        var node = _index.FindByName(toRec, toName)?.Id ?? NodeId.None;
        Changes.Publish(new VfsChange(ChangeKind.Renamed, toRec.Id, toName, node, External: false, fromRec.Id, fromName));
        InvalidateListing(fromRec.Id);
        InvalidateListing(toRec.Id);
        return new RenameResult(DirAfter(fromRec, fromBefore), DirAfter(toRec, toBefore));
    }

    public unsafe VfsResult<LinkResult> Link(Principal caller, NodeId node, NodeId dir, string name)
    {
        var s = Names.Validate(name);
        if (s != VfsStatus.Ok) return s;
        s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        if (rec.IsDirectory) return VfsStatus.IsDirectory;
        s = DirForChange(caller, dir, out var dirRec, out var before);
        if (s != VfsStatus.Ok) return s;
        s = _index.Lease(rec, out var fileLease);
        if (s != VfsStatus.Ok) return s;
        using var own = _index.BeginOwnChange(dirRec.Id, name);
        using (fileLease)
        {
            s = _index.Lease(dirRec, out var dirLease);
            if (s != VfsStatus.Ok) return s;
            using (dirLease)
            {
                Span<byte> a = stackalloc byte[32], b = stackalloc byte[512];
                var source = Names.ProcFdPath(fileLease.Fd, a);
                var target = Names.ToCString(name, b);
                // Linking through /proc/self/fd with AT_SYMLINK_FOLLOW links the very inode we hold,
                // whatever has happened to its name since, and needs no CAP_DAC_READ_SEARCH.
                fixed (byte* src = source)
                fixed (byte* dst = target)
                    if (LibC.Linkat(LibC.AT_FDCWD, src, dirLease.Fd, dst, LibC.AT_SYMLINK_FOLLOW) != 0)
                        return Errno.ToStatus(LibC.LastError);
            }
        }
        s = Stat(rec, out var attrs);
        if (s != VfsStatus.Ok) return s;
        Publish(ChangeKind.Created, dirRec, name, rec.Id);
        InvalidateListing(dirRec.Id);
        return new LinkResult(attrs, DirAfter(dirRec, before));
    }
}
