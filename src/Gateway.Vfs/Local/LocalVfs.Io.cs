using Gateway.Vfs.Events;
using Gateway.Vfs.Native;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    public async ValueTask<VfsResult<ReadResult>> ReadAsync(Principal caller, NodeId node, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        if (offset < 0) return VfsStatus.Invalid;
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var before);
        if (s != VfsStatus.Ok) return s;
        if (before.Type == FileType.Directory) return VfsStatus.IsDirectory;
        if (before.Type != FileType.Regular) return VfsStatus.Invalid;
        // The owner may always read back what it wrote (NFS clients write files they created 0444, as nfsd allows).
        if (!Permissions.Allowed(before, caller, Permissions.R) && caller.Uid != before.Uid) return VfsStatus.AccessDenied;
        s = IoHandle(rec, write: false, out var io);
        if (s != VfsStatus.Ok) return s;
        int n;
        using (io)
        try
        {
            n = buffer.Length == 0 ? 0 : await RandomAccess.ReadAsync(io.Handle, buffer, offset, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return StatusOf(e);
        }
        catch (ArgumentOutOfRangeException)
        {
            n = 0; // an offset no file here can reach: nothing to read
        }
        s = Stat(rec, out var after);
        if (s != VfsStatus.Ok) return s;
        return new ReadResult(n, (ulong)offset + (ulong)n >= after.Size, after);
    }

    public async ValueTask<VfsResult<WriteResult>> WriteAsync(Principal caller, NodeId node, long offset, ReadOnlyMemory<byte> data, WriteStability stability, CancellationToken ct = default)
    {
        if (offset < 0) return VfsStatus.Invalid;
        if (ReadOnly) return VfsStatus.ReadOnly;
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var before);
        if (s != VfsStatus.Ok) return s;
        if (before.Type == FileType.Directory) return VfsStatus.IsDirectory;
        if (before.Type != FileType.Regular) return VfsStatus.Invalid;
        if (!Permissions.Allowed(before, caller, Permissions.W) && caller.Uid != before.Uid) return VfsStatus.AccessDenied;
        if ((ulong)offset + (ulong)data.Length > long.MaxValue) return VfsStatus.FileTooBig;
        s = IoHandle(rec, write: true, out var io);
        if (s != VfsStatus.Ok) return s;
        using (io)
        {
            try
            {
                if (data.Length > 0) await RandomAccess.WriteAsync(io.Handle, data, offset, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return StatusOf(e);
            }
            catch (ArgumentOutOfRangeException)
            {
                return VfsStatus.FileTooBig; // past the filesystem's largest file (ext4: 16 TiB)
            }
            if (stability != WriteStability.Unstable)
            {
                s = Sync(io.Handle, dataOnly: stability == WriteStability.DataSync);
                if (s != VfsStatus.Ok) return s;
            }
        }
        s = Stat(rec, out var after);
        if (s != VfsStatus.Ok) return s;
        Changes.Publish(new VfsChange(ChangeKind.DataModified, rec.Parent, rec.Name, rec.Id, External: false));
        return new WriteResult(data.Length, stability, WriteVerifier, WccAttributes.From(before), after);
    }

    public ValueTask<VfsResult<ulong>> CommitAsync(NodeId node, CancellationToken ct = default)
    {
        var s = Node(node, out var rec);
        if (s == VfsStatus.Ok && rec.Type == FileType.Regular)
        {
            s = IoHandle(rec, write: false, out var io);
            if (s == VfsStatus.Ok)
                using (io) s = Sync(io.Handle, dataOnly: false);
        }
        else if (s == VfsStatus.Ok)
        {
            s = SyncPath(rec);
        }
        return ValueTask.FromResult(s == VfsStatus.Ok ? new VfsResult<ulong>(WriteVerifier) : VfsResult<ulong>.Fail(s));
    }

    private static VfsStatus Sync(SafeFileHandle io, bool dataOnly)
    {
        var added = false;
        io.DangerousAddRef(ref added);
        try
        {
            var fd = (int)io.DangerousGetHandle();
            return (dataOnly ? LibC.Fdatasync(fd) : LibC.Fsync(fd)) == 0 ? VfsStatus.Ok : Errno.ToStatus(LibC.LastError);
        }
        finally
        {
            io.DangerousRelease();
        }
    }

    /// <summary>fsync of a directory or other non-regular node (O_PATH descriptors can't be fsynced: re-open read-only).</summary>
    private VfsStatus SyncPath(NodeRecord rec)
    {
        if (rec.Type is not (FileType.Directory or FileType.Regular)) return VfsStatus.Ok;
        var s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using (lease)
        {
            var err = Sys.Reopen(lease.Fd, LibC.O_RDONLY, out var fd);
            if (err != 0) return Errno.ToStatus(err);
            var rc = LibC.Fsync(fd) == 0 ? 0 : LibC.LastError;
            Sys.Close(fd);
            return Errno.ToStatus(rc);
        }
    }

    internal static VfsStatus StatusOf(IOException e) => (e.HResult & 0xFFFF) switch
    {
        Errno.ENOSPC => VfsStatus.NoSpace,
        Errno.EDQUOT => VfsStatus.QuotaExceeded,
        Errno.EFBIG => VfsStatus.FileTooBig,
        _ when e.HResult == unchecked((int)0x80070070) => VfsStatus.NoSpace,
        _ => VfsStatus.Io,
    };
}
