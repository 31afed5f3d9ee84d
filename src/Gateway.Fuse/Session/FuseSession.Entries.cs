using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;

namespace Gateway.Fuse.Session;

internal sealed partial class FuseSession
{
    private FuseEntryOut Entry(NodeId node, in VfsAttributes attrs)
    {
        var id = _nodes.ToFuse(node);
        return new FuseEntryOut
        {
            NodeId = id,
            Generation = 0, // NodeIds are never reused, so (nodeid, 0) is unique for the filesystem's life
            EntryValid = _entryTimeoutSeconds,
            EntryValidNsec = _entryTimeoutNanos,
            AttrValid = _entryTimeoutSeconds,
            AttrValidNsec = _entryTimeoutNanos,
            Attr = FuseAttrCodec.Encode(attrs, id),
        };
    }

    private FuseAttrOut AttrOut(in VfsAttributes attrs) => new()
    {
        AttrValid = _entryTimeoutSeconds,
        AttrValidNsec = _entryTimeoutNanos,
        Attr = FuseAttrCodec.Encode(attrs, _nodes.ToFuse(attrs.Node)),
    };

    /// <summary>Replies with an entry and counts the lookup the kernel now holds.</summary>
    private void ReplyEntry(in FuseInHeader h, FuseReplyBuilder reply, NodeId node, in VfsAttributes attrs, string? name)
    {
        var entry = Entry(node, attrs);
        _nodes.Remember(entry.NodeId, h.NodeId, name);
        Reply(h.Unique, reply, entry);
    }

    private void Lookup(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var found = _vfs.Lookup(Caller(h), _nodes.ToVfs(h.NodeId), name);
        if (!found.IsOk)
        {
            Error(h.Unique, found.Status == VfsStatus.InvalidName ? FuseErrno.ENOENT : FuseErrno.Map(found.Status));
            return;
        }
        ReplyEntry(h, reply, found.Value.Node, found.Value.Attributes, name);
    }

    private void Forget(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (r.TryRead(out FuseForgetIn f)) _nodes.Forget(h.NodeId, f.Nlookup);
    }

    private void BatchForget(ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseBatchForgetIn b)) return;
        for (var i = 0u; i < b.Count && r.TryRead(out FuseForgetOne one); i++) _nodes.Forget(one.NodeId, one.Nlookup);
    }

    private void GetAttr(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        r.TryRead(out FuseGetattrIn g); // absent before 7.9; a zeroed one means "by node"
        var node = _nodes.ToVfs(h.NodeId);
        var attrs = (g.GetattrFlags & FuseConst.FUSE_GETATTR_FH) != 0 && _handles.Get<FileHandle>(g.Fh) is { } f
            ? f.File.GetAttr()
            : AttributesOf(node);
        if (!attrs.IsOk)
        {
            Status(h.Unique, attrs.Status);
            return;
        }
        Reply(h.Unique, reply, AttrOut(attrs.Value));
    }

    /// <summary>
    /// FUSE_STATX (7.39): what GETATTR gives plus the birth time (the creation time SMB clients see), so
    /// statx(2) through the mount reports STATX_BTIME. Always the full basic set: the kernel then caches it.
    /// </summary>
    private void Statx(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseStatxIn s))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _nodes.ToVfs(h.NodeId);
        var attrs = (s.GetattrFlags & FuseConst.FUSE_GETATTR_FH) != 0 && _handles.Get<FileHandle>(s.Fh) is { } f
            ? f.File.GetAttr()
            : AttributesOf(node);
        if (!attrs.IsOk)
        {
            Status(h.Unique, attrs.Status);
            return;
        }
        var a = attrs.Value;
        var fa = FuseAttrCodec.Encode(a, _nodes.ToFuse(a.Node));
        Reply(h.Unique, reply, new FuseStatxOut
        {
            AttrValid = _entryTimeoutSeconds,
            AttrValidNsec = _entryTimeoutNanos,
            Stat = new FuseStatx
            {
                Mask = FuseConst.STATX_BASIC_STATS | FuseConst.STATX_BTIME,
                BlkSize = fa.BlkSize,
                Nlink = fa.Nlink,
                Uid = fa.Uid,
                Gid = fa.Gid,
                Mode = (ushort)fa.Mode,
                Ino = fa.Ino,
                Size = fa.Size,
                Blocks = fa.Blocks,
                Atime = SxTime(a.AccessTime),
                Btime = SxTime(a.CreationTime),
                Ctime = SxTime(a.ChangeTime),
                Mtime = SxTime(a.ModifyTime),
                RdevMajor = a.RdevMajor,
                RdevMinor = a.RdevMinor,
            },
        });
    }

    private static FuseSxTime SxTime(long unixNs)
    {
        var (sec, ns) = FuseAttrCodec.Split(unixNs);
        return new FuseSxTime { Sec = (long)sec, Nsec = ns };
    }

    /// <summary>The node's attributes, or those of an open file of it when its names are all gone (fstat after unlink).</summary>
    private VfsResult<VfsAttributes> AttributesOf(NodeId node)
    {
        var a = _vfs.GetAttr(node);
        if (a.IsOk || a.Status is not (VfsStatus.Stale or VfsStatus.NotFound)) return a;
        return _handles.AnyFileOf(node) is { } open ? open.File.GetAttr() : a;
    }

    private void SetAttr(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseSetattrIn s))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _nodes.ToVfs(h.NodeId);
        var caller = Caller(h);
        var open = (s.Valid & FuseConst.FATTR_FH) != 0 ? _handles.Get<FileHandle>(s.Fh) : null;
        var changes = new SetAttributes
        {
            Mode = (s.Valid & FuseConst.FATTR_MODE) != 0 ? s.Mode & 0xFFF : null,
            Uid = (s.Valid & FuseConst.FATTR_UID) != 0 ? s.Uid : null,
            Gid = (s.Valid & FuseConst.FATTR_GID) != 0 ? s.Gid : null,
            Size = (s.Valid & FuseConst.FATTR_SIZE) != 0 ? s.Size : null,
            AccessTime = TimeOf(s.Valid, FuseConst.FATTR_ATIME, FuseConst.FATTR_ATIME_NOW, s.Atime, s.AtimeNsec),
            ModifyTime = TimeOf(s.Valid, FuseConst.FATTR_MTIME, FuseConst.FATTR_MTIME_NOW, s.Mtime, s.MtimeNsec),
        };
        // ftruncate (or O_TRUNC-less truncate of an open file) goes through the open descriptor: it works
        // after the file's names are gone, and the kernel has already checked that the open may write.
        if (changes.Size is { } size && open is not null && open.File.CanWrite)
        {
            if (size > long.MaxValue)
            {
                Error(h.Unique, FuseErrno.EFBIG);
                return;
            }
            var st = open.File.SetLength((long)size);
            if (st != VfsStatus.Ok)
            {
                Status(h.Unique, st);
                return;
            }
            changes = changes with { Size = null };
        }
        VfsResult<VfsAttributes> after;
        if (changes.IsEmpty)
        {
            after = open is not null ? open.File.GetAttr() : AttributesOf(node);
        }
        else
        {
            var res = _vfs.SetAttr(caller, node, changes);
            after = res.IsOk ? res.Value.After : res.Status;
        }
        if (!after.IsOk)
        {
            Status(h.Unique, after.Status);
            return;
        }
        Reply(h.Unique, reply, AttrOut(after.Value));
    }

    private static TimeUpdate TimeOf(uint valid, uint setBit, uint nowBit, ulong seconds, uint nanos) =>
        (valid & nowBit) != 0 ? TimeUpdate.Now
        : (valid & setBit) != 0 ? TimeUpdate.At(FuseAttrCodec.Join(seconds, nanos))
        : TimeUpdate.DontChange;

    private void ReadLink(in FuseInHeader h, FuseReplyBuilder reply)
    {
        var r = _vfs.ReadLink(Caller(h), _nodes.ToVfs(h.NodeId));
        if (!r.IsOk)
        {
            Status(h.Unique, r.Status);
            return;
        }
        // The target's bytes as they are on disk (NameEncoding), not necessarily UTF-8.
        if (!NameEncoding.TryEncode(r.Value, reply.Free, out var n))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        reply.Advance(n);
        Send(h.Unique, reply);
    }

    private void Symlink(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryReadName(out var name) || !r.TryReadName(out var target))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var caller = Caller(h);
        var made = _vfs.Symlink(caller, _nodes.ToVfs(h.NodeId), name, target);
        FinishCreate(h, reply, caller, made, name);
    }

    private void Mknod(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseMknodIn m) || !r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var caller = Caller(h);
        var dir = _nodes.ToVfs(h.NodeId);
        var type = (m.Mode & 0xF000) switch
        {
            FuseAttrCodec.S_IFREG or 0 => FileType.Regular,
            FuseAttrCodec.S_IFIFO => FileType.Fifo,
            FuseAttrCodec.S_IFSOCK => FileType.Socket,
            FuseAttrCodec.S_IFCHR => FileType.CharDevice,
            FuseAttrCodec.S_IFBLK => FileType.BlockDevice,
            _ => (FileType)0,
        };
        VfsResult<CreateResult> made = type switch
        {
            0 => VfsStatus.Invalid,
            FileType.Regular => _vfs.Create(caller, dir, name, CreateHow.Guarded(new SetAttributes { Mode = m.Mode & 0xFFF })),
            _ => _vfs.Mknod(caller, dir, name, type, m.Mode & 0xFFF, (m.Rdev >> 8) & 0xFFF, (m.Rdev & 0xFF) | ((m.Rdev >> 12) & 0xFFF00)),
        };
        FinishCreate(h, reply, caller, made, name);
    }

    private void Mkdir(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseMkdirIn m) || !r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var caller = Caller(h);
        var made = _vfs.Mkdir(caller, _nodes.ToVfs(h.NodeId), name, new SetAttributes { Mode = m.Mode & 0xFFF });
        FinishCreate(h, reply, caller, made, name);
    }

    /// <summary>Gives a new node to its creator (the gateway may create as root) and replies with its entry.</summary>
    private void FinishCreate(in FuseInHeader h, FuseReplyBuilder reply, Principal caller, VfsResult<CreateResult> made, string name)
    {
        if (!made.IsOk)
        {
            Status(h.Unique, made.Status);
            return;
        }
        var attrs = ChownToCaller(caller, _nodes.ToVfs(h.NodeId), made.Value.Node, made.Value.Attributes);
        ReplyEntry(h, reply, made.Value.Node, attrs, name);
    }

    /// <summary>
    /// The gateway creates as itself; when that is root and the caller is not, the new node is handed to the
    /// caller as the kernel would have: owner = caller, group = caller's, or the directory's when the
    /// directory is set-group-ID (the filesystem already copied the directory's group in that case).
    /// </summary>
    private VfsAttributes ChownToCaller(Principal caller, NodeId dir, NodeId node, in VfsAttributes attrs)
    {
        if (!_runningAsRoot || caller.Uid == 0) return attrs;
        var setgidDir = _vfs.GetAttr(dir) is { IsOk: true } d && (d.Value.Mode & 0x400) != 0;
        var gid = setgidDir ? attrs.Gid : caller.Gid;
        if (attrs.Uid == caller.Uid && attrs.Gid == gid) return attrs;
        var fixedUp = _vfs.SetAttr(Principal.Root, node, new SetAttributes { Uid = caller.Uid, Gid = gid });
        return fixedUp.IsOk ? fixedUp.Value.After : attrs;
    }

    private void Remove(in FuseInHeader h, ReadOnlySpan<byte> body, bool directory)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var dir = _nodes.ToVfs(h.NodeId);
        var res = directory ? _vfs.Rmdir(Caller(h), dir, name) : _vfs.Remove(Caller(h), dir, name);
        Status(h.Unique, res.Status);
    }

    private void Rename(in FuseInHeader h, ReadOnlySpan<byte> body, bool rename2)
    {
        var r = new FuseRequestReader(body);
        ulong newDir;
        uint flags = 0;
        if (rename2)
        {
            if (!r.TryRead(out FuseRename2In a))
            {
                Error(h.Unique, FuseErrno.EIO);
                return;
            }
            (newDir, flags) = (a.NewDir, a.Flags);
        }
        else
        {
            if (!r.TryRead(out FuseRenameIn a))
            {
                Error(h.Unique, FuseErrno.EIO);
                return;
            }
            newDir = a.NewDir;
        }
        if (!r.TryReadName(out var oldName) || !r.TryReadName(out var newName))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        if ((flags & ~(FuseConst.RENAME_NOREPLACE | FuseConst.RENAME_EXCHANGE)) != 0)
        {
            Error(h.Unique, FuseErrno.EINVAL); // RENAME_WHITEOUT is for overlayfs upper layers, not for us
            return;
        }
        var vflags = ((flags & FuseConst.RENAME_NOREPLACE) != 0 ? RenameFlags.NoReplace : RenameFlags.None)
            | ((flags & FuseConst.RENAME_EXCHANGE) != 0 ? RenameFlags.Exchange : RenameFlags.None);
        var res = _vfs.Rename(Caller(h), _nodes.ToVfs(h.NodeId), oldName, _nodes.ToVfs(newDir), newName, vflags);
        Status(h.Unique, res.Status);
    }

    private void Link(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseLinkIn l) || !r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var node = _nodes.ToVfs(l.OldNodeId);
        var res = _vfs.Link(Caller(h), node, _nodes.ToVfs(h.NodeId), name);
        if (!res.IsOk)
        {
            Status(h.Unique, res.Status);
            return;
        }
        ReplyEntry(h, reply, node, res.Value.Attributes, name);
    }

    private void StatFs(in FuseInHeader h, FuseReplyBuilder reply)
    {
        var r = _vfs.FsStat(_nodes.ToVfs(h.NodeId));
        if (!r.IsOk)
        {
            Status(h.Unique, r.Status);
            return;
        }
        var s = r.Value;
        var bsize = s.BlockSize == 0 ? 4096u : s.BlockSize;
        reply.Append(new FuseKstatfs
        {
            Blocks = s.TotalBytes / bsize,
            Bfree = s.FreeBytes / bsize,
            Bavail = s.AvailableBytes / bsize,
            Files = s.TotalFiles,
            Ffree = s.FreeFiles,
            Bsize = bsize,
            Namelen = s.MaxNameLength == 0 ? 255 : s.MaxNameLength,
            Frsize = bsize,
        });
        reply.AppendZeros(24); // spare[6]
        Send(h.Unique, reply);
    }

    private void Access(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseAccessIn a))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _nodes.ToVfs(h.NodeId);
        var attrs = _vfs.GetAttr(node);
        if (!attrs.IsOk)
        {
            Status(h.Unique, attrs.Status);
            return;
        }
        var dir = attrs.Value.Type == FileType.Directory;
        var want = ((a.Mask & 4) != 0 ? AccessMask.Read : 0)
            | ((a.Mask & 2) != 0 ? AccessMask.Modify : 0)
            | ((a.Mask & 1) != 0 ? (dir ? AccessMask.Lookup : AccessMask.Execute) : 0);
        if (want == AccessMask.None)
        {
            Ok(h.Unique); // F_OK: it exists
            return;
        }
        var granted = _vfs.Access(Caller(h), node, want);
        if (!granted.IsOk) Status(h.Unique, granted.Status);
        else Error(h.Unique, granted.Value == want ? 0 : FuseErrno.EACCES);
    }
}
