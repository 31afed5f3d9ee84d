namespace Gateway.Vfs.Native;

/// <summary>Linux errno values the backend distinguishes, and their one mapping to <see cref="VfsStatus"/>.</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
        EMFILE = 24, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, ERANGE = 34,
        ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOVERFLOW = 75,
        EOPNOTSUPP = 95, EDQUOT = 122, ESTALE = 116, E2BIG = 7;

    public static VfsStatus ToStatus(int errno) => errno switch
    {
        0 => VfsStatus.Ok,
        ENOENT => VfsStatus.NotFound,
        EEXIST => VfsStatus.Exists,
        ENOTDIR => VfsStatus.NotDirectory,
        EISDIR => VfsStatus.IsDirectory,
        ENOTEMPTY => VfsStatus.NotEmpty,
        EACCES => VfsStatus.AccessDenied,
        EPERM => VfsStatus.NotPermitted,
        ENOSPC => VfsStatus.NoSpace,
        EDQUOT => VfsStatus.QuotaExceeded,
        ENAMETOOLONG => VfsStatus.NameTooLong,
        EROFS => VfsStatus.ReadOnly,
        EXDEV => VfsStatus.CrossDevice,
        ESTALE => VfsStatus.Stale,
        ELOOP => VfsStatus.Loop,
        EMLINK => VfsStatus.TooManyLinks,
        EFBIG => VfsStatus.FileTooBig,
        EINVAL => VfsStatus.Invalid,
        ENODATA => VfsStatus.NotFound,
        EOPNOTSUPP or ENOSYS => VfsStatus.NotSupported,
        ERANGE or E2BIG => VfsStatus.Invalid,
        EBUSY or ETXTBSY => VfsStatus.AccessDenied,
        _ => VfsStatus.Io,
    };
}
