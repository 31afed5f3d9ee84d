namespace Gateway.Fuse.Tests.Posix;

/// <summary>errno values by name (asm-generic/errno*.h), so traces read "EEXIST", not "17".</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11, EACCES = 13, EBUSY = 16, EEXIST = 17,
        EXDEV = 18, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31,
        ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61,
        EOVERFLOW = 75, EOPNOTSUPP = 95, ENOTCONN = 107, ESTALE = 116;

    private static readonly Dictionary<int, string> Names = new()
    {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [EIO] = "EIO", [ENXIO] = "ENXIO", [EBADF] = "EBADF", [EAGAIN] = "EAGAIN",
        [EACCES] = "EACCES", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENOTDIR] = "ENOTDIR",
        [EISDIR] = "EISDIR", [EINVAL] = "EINVAL", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE",
        [EROFS] = "EROFS", [EMLINK] = "EMLINK", [ERANGE] = "ERANGE", [EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG",
        [ENOLCK] = "ENOLCK", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [ENODATA] = "ENODATA",
        [EOVERFLOW] = "EOVERFLOW", [EOPNOTSUPP] = "EOPNOTSUPP", [ENOTCONN] = "ENOTCONN", [ESTALE] = "ESTALE",
    };

    public static string Name(int errno) => Names.TryGetValue(errno, out var n) ? n : $"errno {errno}";
}
