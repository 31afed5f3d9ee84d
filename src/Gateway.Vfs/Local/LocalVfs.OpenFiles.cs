using Gateway.Vfs.Events;
using Gateway.Vfs.Native;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    public VfsResult<IVfsOpenFile> Open(Principal caller, NodeId node, OpenAccess access, bool truncate = false)
    {
        if (access == 0 || (access & ~(OpenAccess.Read | OpenAccess.Write)) != 0) return VfsStatus.Invalid;
        var write = (access & OpenAccess.Write) != 0;
        if (truncate && !write) return VfsStatus.Invalid;
        if (write && ReadOnly) return VfsStatus.ReadOnly;
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var attrs);
        if (s != VfsStatus.Ok) return s;
        if (attrs.Type == FileType.Directory) return VfsStatus.IsDirectory;
        if (attrs.Type != FileType.Regular) return VfsStatus.Invalid;
        var want = ((access & OpenAccess.Read) != 0 ? Permissions.R : 0) | (write ? Permissions.W : 0);
        if (!Permissions.Allowed(attrs, caller, want)) return VfsStatus.AccessDenied;

        RecallCachingGrantsForOpen(rec.Id, access);

        var flags = (write ? ((access & OpenAccess.Read) != 0 ? LibC.O_RDWR : LibC.O_WRONLY) : LibC.O_RDONLY)
            | (truncate ? LibC.O_TRUNC : 0) | LibC.O_NOCTTY;
        s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        int err, fd;
        using (lease) err = Sys.Reopen(lease.Fd, flags, out fd);
        if (err != 0) return Errno.ToStatus(err);
        var file = new LocalOpenFile(this, rec, new SafeFileHandle(fd, ownsHandle: true), access);
        if (truncate && attrs.Size != 0) PublishData(rec);
        return file;
    }

    /// <summary>
    /// SEAM (leases/delegations): an open for write through any door must first recall the caching grants
    /// other clients hold on the node (SMB read/handle leases, NFSv4 read delegations), and any open must
    /// recall write leases/delegations, waiting for the break acknowledgement or its timeout. The
    /// LockManager grants none yet, so there is nothing to recall; when it does, this is where
    /// LockManager's recall goes, before the descriptor is opened.
    /// </summary>
    private static void RecallCachingGrantsForOpen(NodeId node, OpenAccess access)
    {
        _ = node;
        _ = access;
    }

    public async ValueTask<VfsResult<long>> CopyRangeAsync(Principal caller, IVfsOpenFile source, long sourceOffset, IVfsOpenFile destination, long destinationOffset, long length, CancellationToken ct = default)
    {
        if (sourceOffset < 0 || destinationOffset < 0 || length < 0) return VfsStatus.Invalid;
        if (!source.CanRead || !destination.CanWrite) return VfsStatus.AccessDenied;
        if (ReadOnly) return VfsStatus.ReadOnly;
        if (length == 0) return 0L;
        if (source is LocalOpenFile src && destination is LocalOpenFile dst)
        {
            var copied = CopyFileRange(src, sourceOffset, dst, destinationOffset, length, out var status);
            if (status == VfsStatus.Ok)
            {
                if (copied > 0) PublishData(dst.Rec);
                return copied;
            }
            if (status is not (VfsStatus.CrossDevice or VfsStatus.NotSupported or VfsStatus.Invalid)) return status;
        }
        // Another backend, or a filesystem pair copy_file_range refuses: copy through a buffer.
        var buffer = new byte[(int)Math.Min(length, 1 << 20)];
        long total = 0;
        while (total < length)
        {
            var chunk = (int)Math.Min(buffer.Length, length - total);
            var r = await source.ReadAsync(sourceOffset + total, buffer.AsMemory(0, chunk), ct).ConfigureAwait(false);
            if (!r.IsOk) return total > 0 ? total : r.Status;
            if (r.Value.Count == 0) break;
            var w = await destination.WriteAsync(destinationOffset + total, buffer.AsMemory(0, r.Value.Count), WriteStability.Unstable, ct).ConfigureAwait(false);
            if (!w.IsOk) return total > 0 ? total : w.Status;
            total += r.Value.Count;
        }
        return total;
    }

    private static unsafe long CopyFileRange(LocalOpenFile src, long srcOffset, LocalOpenFile dst, long dstOffset, long length, out VfsStatus status)
    {
        long total = 0;
        status = VfsStatus.Ok;
        bool addedIn = false, addedOut = false;
        try
        {
            src.Handle.DangerousAddRef(ref addedIn);
            dst.Handle.DangerousAddRef(ref addedOut);
            int fin = (int)src.Handle.DangerousGetHandle(), fout = (int)dst.Handle.DangerousGetHandle();
            while (total < length)
            {
                var inOff = srcOffset + total;
                var outOff = dstOffset + total;
                var n = LibC.CopyFileRange(fin, &inOff, fout, &outOff, (nuint)Math.Min(length - total, 1L << 30), 0);
                if (n < 0)
                {
                    if (total == 0) status = Errno.ToStatus(LibC.LastError);
                    return total;
                }
                if (n == 0) break; // end of the source
                total += n;
            }
            return total;
        }
        catch (ObjectDisposedException)
        {
            status = VfsStatus.Stale;
            return 0;
        }
        finally
        {
            if (addedIn) src.Handle.DangerousRelease();
            if (addedOut) dst.Handle.DangerousRelease();
        }
    }

    internal void PublishData(NodeRecord rec) =>
        Changes.Publish(new VfsChange(ChangeKind.DataModified, rec.Parent, rec.Name, rec.Id, External: false));

    internal VfsAttributes AttributesOf(NodeRecord rec, in StatxBuffer st) => ToAttributes(rec, st);
}
