using Gateway.Vfs.Events;
using Gateway.Vfs.Native;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

/// <summary>
/// One open of a regular file: its own descriptor, opened through the node's O_PATH descriptor (so it is
/// the very file the NodeId names, beneath the export root). Unlinking every name leaves it working, as
/// POSIX says, because nothing here goes back to a name.
/// </summary>
internal sealed class LocalOpenFile : IVfsOpenFile
{
    private readonly LocalVfs _vfs;
    private readonly NodeRecord _rec;
    private readonly SafeFileHandle _fd;

    public LocalOpenFile(LocalVfs vfs, NodeRecord rec, SafeFileHandle fd, OpenAccess access)
    {
        _vfs = vfs;
        _rec = rec;
        _fd = fd;
        CanRead = (access & OpenAccess.Read) != 0;
        CanWrite = (access & OpenAccess.Write) != 0;
    }

    public NodeId Node => _rec.Id;
    public bool CanRead { get; }
    public bool CanWrite { get; }
    public SafeFileHandle? BackingHandle => _fd.IsClosed ? null : _fd;

    internal SafeFileHandle Handle => _fd;

    internal NodeRecord Rec => _rec;

    public ValueTask<VfsResult<ReadResult>> ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        if (offset < 0) return ValueTask.FromResult<VfsResult<ReadResult>>(VfsStatus.Invalid);
        if (!CanRead) return ValueTask.FromResult<VfsResult<ReadResult>>(VfsStatus.AccessDenied);
        int n;
        try
        {
            // pread on the caller's thread: the data is usually in the page cache, and a thread hop costs more.
            n = buffer.Length == 0 ? 0 : RandomAccess.Read(_fd, buffer.Span, offset);
        }
        catch (IOException e)
        {
            return ValueTask.FromResult<VfsResult<ReadResult>>(LocalVfs.StatusOf(e));
        }
        catch (ArgumentOutOfRangeException)
        {
            n = 0;
        }
        catch (ObjectDisposedException)
        {
            return ValueTask.FromResult<VfsResult<ReadResult>>(VfsStatus.Stale);
        }
        var attrs = GetAttr();
        if (!attrs.IsOk) return ValueTask.FromResult<VfsResult<ReadResult>>(attrs.Status);
        return ValueTask.FromResult<VfsResult<ReadResult>>(new ReadResult(n, (ulong)offset + (ulong)n >= attrs.Value.Size, attrs.Value));
    }

    public ValueTask<VfsResult<WriteResult>> WriteAsync(long offset, ReadOnlyMemory<byte> data, WriteStability stability, CancellationToken ct = default)
    {
        if (offset < 0) return ValueTask.FromResult<VfsResult<WriteResult>>(VfsStatus.Invalid);
        if (!CanWrite) return ValueTask.FromResult<VfsResult<WriteResult>>(VfsStatus.AccessDenied);
        if ((ulong)offset + (ulong)data.Length > long.MaxValue) return ValueTask.FromResult<VfsResult<WriteResult>>(VfsStatus.FileTooBig);
        try
        {
            if (data.Length > 0) RandomAccess.Write(_fd, data.Span, offset);
        }
        catch (IOException e)
        {
            return ValueTask.FromResult<VfsResult<WriteResult>>(LocalVfs.StatusOf(e));
        }
        catch (ArgumentOutOfRangeException)
        {
            return ValueTask.FromResult<VfsResult<WriteResult>>(VfsStatus.FileTooBig);
        }
        catch (ObjectDisposedException)
        {
            return ValueTask.FromResult<VfsResult<WriteResult>>(VfsStatus.Stale);
        }
        if (stability != WriteStability.Unstable)
        {
            var s = Sync(stability == WriteStability.DataSync);
            if (s != VfsStatus.Ok) return ValueTask.FromResult<VfsResult<WriteResult>>(s);
        }
        var after = GetAttr();
        if (!after.IsOk) return ValueTask.FromResult<VfsResult<WriteResult>>(after.Status);
        _vfs.PublishData(_rec);
        return ValueTask.FromResult<VfsResult<WriteResult>>(new WriteResult(data.Length, stability, _vfs.WriteVerifier, null, after.Value));
    }

    public ValueTask<VfsStatus> FlushAsync(bool dataOnly, CancellationToken ct = default) => ValueTask.FromResult(Sync(dataOnly));

    private VfsStatus Sync(bool dataOnly) => WithFd(fd => (dataOnly ? LibC.Fdatasync(fd) : LibC.Fsync(fd)) == 0 ? 0 : LibC.LastError);

    public VfsStatus SetLength(long length)
    {
        if (length < 0) return VfsStatus.Invalid;
        if (!CanWrite) return VfsStatus.AccessDenied;
        var s = WithFd(fd => LibC.Ftruncate(fd, length) == 0 ? 0 : LibC.LastError);
        if (s == VfsStatus.Ok) _vfs.PublishData(_rec);
        return s;
    }

    public VfsStatus Allocate(long offset, long length, AllocateMode mode)
    {
        if (offset < 0 || length <= 0) return VfsStatus.Invalid;
        if (!CanWrite) return VfsStatus.AccessDenied;
        var flags = 0;
        if ((mode & AllocateMode.KeepSize) != 0) flags |= LibC.FALLOC_FL_KEEP_SIZE;
        if ((mode & AllocateMode.PunchHole) != 0) flags |= LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE;
        if ((mode & AllocateMode.ZeroRange) != 0) flags |= LibC.FALLOC_FL_ZERO_RANGE;
        var s = WithFd(fd => LibC.Fallocate(fd, flags, offset, length) == 0 ? 0 : LibC.LastError);
        if (s == VfsStatus.Ok) _vfs.PublishData(_rec);
        return s;
    }

    public VfsResult<long> Seek(long offset, SeekWhence whence)
    {
        if (offset < 0 || whence is not (SeekWhence.Data or SeekWhence.Hole)) return VfsStatus.Invalid;
        long result = -1;
        var s = WithFd(fd =>
        {
            result = LibC.Lseek(fd, offset, (int)whence);
            return result >= 0 ? 0 : LibC.LastError;
        });
        return s == VfsStatus.Ok ? result : s;
    }

    public VfsResult<VfsAttributes> GetAttr()
    {
        StatxBuffer st = default;
        var s = WithFd(fd => Sys.StatFd(fd, out st));
        return s == VfsStatus.Ok ? _vfs.AttributesOf(_rec, st) : s;
    }

    /// <summary>Runs a call on the descriptor with a reference held, so a concurrent Dispose cannot recycle the number under it.</summary>
    internal VfsStatus WithFd(Func<int, int> call)
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var err = call((int)_fd.DangerousGetHandle());
            // ENXIO: SEEK_DATA/SEEK_HOLE past the end of the file.
            return err == Errno.ENXIO ? VfsStatus.NotFound : Errno.ToStatus(err);
        }
        catch (ObjectDisposedException)
        {
            return VfsStatus.Stale;
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    public void Dispose() => _fd.Dispose();

    public override string ToString() => $"open {_rec} ({(CanRead ? "r" : "")}{(CanWrite ? "w" : "")})";
}
