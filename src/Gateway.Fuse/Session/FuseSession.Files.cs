using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Fuse.Session;

internal sealed partial class FuseSession
{
    private const uint O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_EXCL = 0x80, O_TRUNC = 0x200;

    private readonly Dictionary<ulong, BackingFile> _backings = new();
    private readonly object _backingGate = new();

    private static OpenAccess AccessOf(uint flags) => (flags & O_ACCMODE) switch
    {
        O_WRONLY => OpenAccess.Write,
        O_RDWR => OpenAccess.Read | OpenAccess.Write,
        _ => OpenAccess.Read,
    };

    private void Open(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseOpenIn o))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _nodes.ToVfs(h.NodeId);
        var access = AccessOf(o.Flags);
        var caller = Caller(h);
        var truncate = (o.Flags & O_TRUNC) != 0;
        if (truncate && (access & OpenAccess.Write) == 0)
        {
            // Linux truncates on open(O_RDONLY|O_TRUNC) too, when the caller may write (the kernel checked).
            var cut = _vfs.SetAttr(caller, node, new SetAttributes { Size = 0 });
            if (!cut.IsOk)
            {
                Status(h.Unique, cut.Status);
                return;
            }
            truncate = false;
        }
        var opened = _vfs.Open(caller, node, access, truncate);
        if (!opened.IsOk)
        {
            Status(h.Unique, opened.Status);
            return;
        }
        Reply(h.Unique, reply, OpenReply(node, opened.Value));
    }

    /// <summary>Registers the open and, when passthrough is on, hands the kernel the node's backing file.</summary>
    private FuseOpenOut OpenReply(NodeId node, IVfsOpenFile file)
    {
        var handle = new FileHandle(node, file);
        var fh = _handles.Add(handle);
        var out_ = new FuseOpenOut { Fh = fh };
        if (PassthroughEnabled && AcquireBacking(node) is { } backing)
        {
            handle.Backing = backing;
            out_.OpenFlags |= FuseConst.FOPEN_PASSTHROUGH;
            out_.BackingId = backing.Id;
            Interlocked.Increment(ref _passthroughOpens);
        }
        // Without KEEP_CACHE the kernel drops the file's cached pages on every open: close-to-open
        // coherence with what other protocols wrote meanwhile.
        return out_;
    }

    /// <summary>
    /// The node's backing file, registered once and shared by its opens (the kernel refuses a second one
    /// for the same inode). Opened read-write as the gateway itself whenever possible: the kernel checks
    /// each open's own mode before it lets I/O through, and a read-only backing would break a later
    /// writer. Null when registration fails: the open then goes through READ/WRITE as usual.
    /// </summary>
    private BackingFile? AcquireBacking(NodeId node)
    {
        lock (_backingGate)
        {
            if (_backings.TryGetValue(node.Value, out var existing))
            {
                existing.Opens++;
                return existing;
            }
            var file = _vfs.Open(Principal.Root, node, OpenAccess.Read | OpenAccess.Write);
            if (!file.IsOk) file = _vfs.Open(Principal.Root, node, OpenAccess.Read);
            if (!file.IsOk || file.Value.BackingHandle is not { } fd)
            {
                if (file.IsOk) file.Value.Dispose();
                return null;
            }
            var added = false;
            int id;
            try
            {
                fd.DangerousAddRef(ref added);
                id = _dev.BackingOpen((int)fd.DangerousGetHandle());
            }
            finally
            {
                if (added) fd.DangerousRelease();
            }
            if (id < 0)
            {
                file.Value.Dispose();
                if (!_backingFailureLogged)
                {
                    _backingFailureLogged = true;
                    _options.Log($"fuse: FUSE_DEV_IOC_BACKING_OPEN failed (errno {-id}); file data goes through the gateway");
                }
                return null;
            }
            var backing = new BackingFile(node, file.Value, id) { Opens = 1 };
            _backings[node.Value] = backing;
            return backing;
        }
    }

    private bool _backingFailureLogged;

    private void ReleaseBacking(BackingFile backing)
    {
        lock (_backingGate)
        {
            if (--backing.Opens > 0) return;
            _backings.Remove(backing.Node.Value);
            var err = _dev.IsClosed ? 0 : _dev.BackingClose(backing.Id);
            if (err != 0) _options.Log($"fuse: FUSE_DEV_IOC_BACKING_CLOSE {backing.Id} failed: errno {err}");
            backing.File.Dispose();
        }
    }

    private void CloseFile(FileHandle f)
    {
        if (f.Backing is { } b) ReleaseBacking(b);
        f.File.Dispose();
    }

    private void Create(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseCreateIn c) || !r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        var caller = Caller(h);
        var dir = _nodes.ToVfs(h.NodeId);
        var access = AccessOf(c.Flags);
        NodeId node;
        VfsAttributes attrs;
        VfsResult<IVfsOpenFile> opened;
        var made = _vfs.Create(caller, dir, name, CreateHow.Guarded(new SetAttributes { Mode = c.Mode & 0xFFF }));
        if (made.IsOk)
        {
            node = made.Value.Node;
            attrs = ChownToCaller(caller, dir, node, made.Value.Attributes);
            // The creator may use what it just created whatever the mode says (open(O_CREAT, 0444) for writing).
            opened = _vfs.Open(Principal.Root, node, access);
        }
        else if (made.Status == VfsStatus.Exists && (c.Flags & O_EXCL) == 0)
        {
            // Someone made it between the kernel's lookup and now: open what is there, as open(2) would.
            var found = _vfs.Lookup(caller, dir, name);
            if (!found.IsOk)
            {
                Status(h.Unique, found.Status);
                return;
            }
            node = found.Value.Node;
            opened = _vfs.Open(caller, node, access, truncate: (c.Flags & O_TRUNC) != 0 && (access & OpenAccess.Write) != 0);
            attrs = found.Value.Attributes;
        }
        else
        {
            Status(h.Unique, made.Status);
            return;
        }
        if (!opened.IsOk)
        {
            Status(h.Unique, opened.Status);
            return;
        }
        var fresh = opened.Value.GetAttr();
        if (fresh.IsOk) attrs = fresh.Value;
        var entry = Entry(node, attrs);
        var open = OpenReply(node, opened.Value);
        _nodes.Remember(entry.NodeId, h.NodeId, name);
        reply.Append(entry);
        reply.Append(open);
        Send(h.Unique, reply);
    }

    private void Read(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseReadIn rd))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(rd.Fh) is not { } f)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        if (rd.Offset > long.MaxValue)
        {
            Send(h.Unique, reply); // nothing lives there: EOF
            return;
        }
        var size = (int)Math.Min(rd.Size, (uint)reply.Capacity);
        var pending = f.File.ReadAsync((long)rd.Offset, reply.FreeMemory[..size]);
        var res = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (!res.IsOk)
        {
            Status(h.Unique, res.Status);
            return;
        }
        reply.Advance(res.Value.Count);
        Send(h.Unique, reply);
    }

    private void Write(in FuseInHeader h, ReadOnlyMemory<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body.Span);
        if (!r.TryRead(out FuseWriteIn w) || r.Remaining < w.Size)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(w.Fh) is not { } f)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        if (w.Offset > long.MaxValue)
        {
            Error(h.Unique, FuseErrno.EFBIG);
            return;
        }
        var data = body.Slice(body.Length - r.Remaining, (int)w.Size);
        var pending = f.File.WriteAsync((long)w.Offset, data, WriteStability.Unstable);
        var res = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (!res.IsOk)
        {
            Status(h.Unique, res.Status);
            return;
        }
        Reply(h.Unique, reply, new FuseWriteOut { Size = (uint)res.Value.Count });
    }

    private void Release(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseReleaseIn rel))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Remove<FileHandle>(rel.Fh) is { } f)
        {
            if ((rel.ReleaseFlags & FuseConst.FUSE_RELEASE_FLOCK_UNLOCK) != 0)
                _vfs.Locks.Unlock(f.Node, Owner(rel.LockOwner), ByteRange.WholeFile, LockFlavor.Posix);
            CloseFile(f);
        }
        Ok(h.Unique);
    }

    /// <summary>
    /// close(2) of one descriptor. POSIX drops every fcntl lock the process holds on the file then; the
    /// kernel keeps none itself for a FUSE_POSIX_LOCKS mount, so that release happens here.
    /// </summary>
    private void Flush(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseFlushIn fl))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _handles.Get<FileHandle>(fl.Fh)?.Node ?? _nodes.ToVfs(h.NodeId);
        _vfs.Locks.Unlock(node, Owner(fl.LockOwner), ByteRange.WholeFile, LockFlavor.Posix);
        Ok(h.Unique); // data is written through at WRITE time: nothing is buffered here
    }

    private void Fsync(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseFsyncIn s))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(s.Fh) is not { } f)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        var pending = f.File.FlushAsync((s.FsyncFlags & FuseConst.FUSE_FSYNC_FDATASYNC) != 0);
        Status(h.Unique, pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult());
    }

    private void Fallocate(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseFallocateIn a))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(a.Fh) is not { } f)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        const uint known = FuseConst.FALLOC_FL_KEEP_SIZE | FuseConst.FALLOC_FL_PUNCH_HOLE | FuseConst.FALLOC_FL_ZERO_RANGE;
        if ((a.Mode & ~known) != 0 || a.Offset > long.MaxValue || a.Length > long.MaxValue)
        {
            Error(h.Unique, (a.Mode & ~known) != 0 ? FuseErrno.EOPNOTSUPP : FuseErrno.EINVAL);
            return;
        }
        var mode = ((a.Mode & FuseConst.FALLOC_FL_KEEP_SIZE) != 0 ? AllocateMode.KeepSize : 0)
            | ((a.Mode & FuseConst.FALLOC_FL_PUNCH_HOLE) != 0 ? AllocateMode.PunchHole : 0)
            | ((a.Mode & FuseConst.FALLOC_FL_ZERO_RANGE) != 0 ? AllocateMode.ZeroRange : 0);
        Status(h.Unique, f.File.Allocate((long)a.Offset, (long)a.Length, mode));
    }

    private void Lseek(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseLseekIn s))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(s.Fh) is not { } f)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        if (s.Whence is not ((uint)SeekWhence.Data or (uint)SeekWhence.Hole))
        {
            Error(h.Unique, FuseErrno.EINVAL); // SET/CUR/END are the kernel's own business
            return;
        }
        if (s.Offset > long.MaxValue)
        {
            Error(h.Unique, FuseErrno.ENXIO); // a negative offset: as lseek(2) on the disk answers
            return;
        }
        var res = f.File.Seek((long)s.Offset, (SeekWhence)s.Whence);
        if (!res.IsOk)
        {
            Error(h.Unique, res.Status == VfsStatus.NotFound ? FuseErrno.ENXIO : FuseErrno.Map(res.Status));
            return;
        }
        Reply(h.Unique, reply, new FuseLseekOut { Offset = (ulong)res.Value });
    }

    private void CopyFileRange(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseCopyFileRangeIn c))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (_handles.Get<FileHandle>(c.FhIn) is not { } src || _handles.Get<FileHandle>(c.FhOut) is not { } dst)
        {
            Error(h.Unique, FuseErrno.EBADF);
            return;
        }
        if (c.Flags != 0 || c.OffIn > long.MaxValue || c.OffOut > long.MaxValue)
        {
            Error(h.Unique, FuseErrno.EINVAL);
            return;
        }
        // fuse_write_out carries 32 bits: ask for no more than fits (page-aligned, as the kernel clamps).
        var len = (long)Math.Min(c.Len, 0xFFFF_F000UL);
        var pending = _vfs.CopyRangeAsync(Caller(h), src.File, (long)c.OffIn, dst.File, (long)c.OffOut, len);
        var res = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (!res.IsOk)
        {
            Status(h.Unique, res.Status);
            return;
        }
        Reply(h.Unique, reply, new FuseWriteOut { Size = (uint)res.Value });
    }
}
