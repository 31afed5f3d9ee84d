using Gateway.Vfs;

namespace Gateway.Fuse.Protocol;

/// <summary>
/// The one VfsStatus → errno table for FUSE replies (the kernel wants -errno in fuse_out_header.error).
/// Exhaustive with no default arm: a new VfsStatus must get a row before it compiles.
/// </summary>
#pragma warning disable CS8524 // an unnamed (cast) value throws; every named value has its row
internal static class FuseErrno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
        EFBIG = 27, ENOSPC = 28, EROFS = 30, EMLINK = 31, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38,
        ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOPNOTSUPP = 95, ESTALE = 116, EDQUOT = 122, ENOTCONN = 107,
        E2BIG = 7;

    public static int Map(VfsStatus status) => status switch
    {
        VfsStatus.Ok => 0,
        VfsStatus.NotFound => ENOENT,
        VfsStatus.Exists => EEXIST,
        VfsStatus.NotDirectory => ENOTDIR,
        VfsStatus.IsDirectory => EISDIR,
        VfsStatus.NotEmpty => ENOTEMPTY,
        VfsStatus.AccessDenied => EACCES,
        VfsStatus.NotPermitted => EPERM,
        VfsStatus.NoSpace => ENOSPC,
        VfsStatus.QuotaExceeded => EDQUOT,
        VfsStatus.NameTooLong => ENAMETOOLONG,
        VfsStatus.InvalidName => EINVAL,
        VfsStatus.ReadOnly => EROFS,
        VfsStatus.CrossDevice => EXDEV,
        VfsStatus.Stale => ESTALE,
        // A nodeid the kernel got from us but the Vfs never issued: as good as gone.
        VfsStatus.BadHandle => ESTALE,
        // FUSE has no guarded setattr; nothing sends a guard, but a stale ctime is a retryable conflict.
        VfsStatus.NotSync => EAGAIN,
        // fcntl F_SETLK answers EAGAIN for a held lock; I/O refused by another protocol's mandatory lock too.
        VfsStatus.LockConflict => EAGAIN,
        // An SMB deny mode in the way of this open: Windows' sharing violation, as Samba's vfs reports it.
        VfsStatus.ShareConflict => EBUSY,
        VfsStatus.Loop => ELOOP,
        VfsStatus.TooManyLinks => EMLINK,
        VfsStatus.FileTooBig => EFBIG,
        VfsStatus.BadCookie => EINVAL,
        VfsStatus.NotSupported => EOPNOTSUPP,
        VfsStatus.Invalid => EINVAL,
        VfsStatus.Io => EIO,
    };
}
#pragma warning restore CS8524
