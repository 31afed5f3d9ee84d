using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

/// <summary>Thin, string-taking wrappers over <see cref="LibC"/> that return an errno (0 = success).</summary>
internal static unsafe class Sys
{
    public const uint StatxMask = LibC.STATX_BASIC_STATS | LibC.STATX_BTIME;

    /// <summary>statx of a name beneath dirfd, never following a final symlink.</summary>
    public static int StatAt(int dirfd, string name, out StatxBuffer st)
    {
        Span<byte> scratch = stackalloc byte[512];
        var path = Names.ToCString(name, scratch);
        if (path.IsEmpty)
        {
            st = default;
            return Errno.EINVAL;
        }
        fixed (byte* p = path)
        fixed (StatxBuffer* s = &st)
            return LibC.Statx(dirfd, p, LibC.AT_SYMLINK_NOFOLLOW, StatxMask, s) == 0 ? 0 : LibC.LastError;
    }

    /// <summary>statx of the descriptor itself (AT_EMPTY_PATH): works on O_PATH descriptors.</summary>
    public static int StatFd(int fd, out StatxBuffer st)
    {
        byte empty = 0;
        fixed (StatxBuffer* s = &st)
            return LibC.Statx(fd, &empty, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW, StatxMask, s) == 0 ? 0 : LibC.LastError;
    }

    public static int OpenAt(int dirfd, string name, int flags, uint mode, out int fd)
    {
        Span<byte> scratch = stackalloc byte[512];
        var path = Names.ToCString(name, scratch);
        if (path.IsEmpty)
        {
            fd = -1;
            return Errno.EINVAL;
        }
        fixed (byte* p = path) fd = LibC.Openat(dirfd, p, flags | LibC.O_CLOEXEC, mode);
        return fd >= 0 ? 0 : LibC.LastError;
    }

    /// <summary>
    /// openat2 confined beneath dirfd: no "..", absolute path or symlink (RESOLVE_NO_SYMLINKS also
    /// covers magic links) can take the walk outside, whatever the path holds.
    /// </summary>
    public static int OpenBeneath(int dirfd, string relativePath, int flags, out int fd)
    {
        // Component names are joined with '/', so the path's bytes are exactly the names' on-disk bytes.
        var path = Names.ToCString(relativePath, stackalloc byte[1024]);
        if (path.IsEmpty)
        {
            fd = -1;
            return Errno.EINVAL;
        }
        fixed (byte* p = path)
            fd = LibC.Openat2(dirfd, p, (ulong)(flags | LibC.O_CLOEXEC), 0,
                LibC.RESOLVE_BENEATH | LibC.RESOLVE_NO_SYMLINKS | LibC.RESOLVE_NO_MAGICLINKS);
        return fd >= 0 ? 0 : LibC.LastError;
    }

    /// <summary>Re-opens an O_PATH descriptor with real access flags through /proc/self/fd (the file it names, not a path).</summary>
    public static int Reopen(int pathFd, int flags, out int fd)
    {
        Span<byte> scratch = stackalloc byte[32];
        var path = Names.ProcFdPath(pathFd, scratch);
        fixed (byte* p = path) fd = LibC.Openat(LibC.AT_FDCWD, p, flags | LibC.O_CLOEXEC, 0);
        return fd >= 0 ? 0 : LibC.LastError;
    }

    public static void Close(int fd) => LibC.Close(fd);

    public static FileType TypeOf(uint mode) => (mode & LibC.S_IFMT) switch
    {
        LibC.S_IFDIR => FileType.Directory,
        LibC.S_IFLNK => FileType.Symlink,
        LibC.S_IFCHR => FileType.CharDevice,
        LibC.S_IFBLK => FileType.BlockDevice,
        LibC.S_IFIFO => FileType.Fifo,
        LibC.S_IFSOCK => FileType.Socket,
        _ => FileType.Regular,
    };

    public static uint ModeBitsOf(FileType type) => type switch
    {
        FileType.Directory => LibC.S_IFDIR,
        FileType.Symlink => LibC.S_IFLNK,
        FileType.CharDevice => LibC.S_IFCHR,
        FileType.BlockDevice => LibC.S_IFBLK,
        FileType.Fifo => LibC.S_IFIFO,
        FileType.Socket => LibC.S_IFSOCK,
        _ => LibC.S_IFREG,
    };

    public static ulong GenerationOf(in StatxBuffer st) =>
        (st.Mask & LibC.STATX_BTIME) != 0 ? (ulong)st.Btime.ToUnixNanoseconds() : 0;
}
