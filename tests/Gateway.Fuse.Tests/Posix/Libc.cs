using System.Runtime.InteropServices;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// The raw libc calls the behaviour tests make, so each result carries the real errno (.NET's File
/// APIs fold errnos into a few exception types). Paths are NUL-terminated bytes (see <see cref="Paths"/>),
/// so names that are not UTF-8 reach the kernel unchanged. x86_64 Linux layouts.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EACCESS = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200,
        O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;

    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    public const uint RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;
    public const int XATTR_CREATE = 1, XATTR_REPLACE = 2;
    public const int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2, FALLOC_FL_ZERO_RANGE = 0x10;
    public const int R_OK = 4, W_OK = 2, X_OK = 1;
    public const uint S_IFMT = 0xF000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFIFO = 0x1000;
    public const long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    public const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MS_SYNC = 4;
    public const int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    public const uint STATX_BASIC_STATS = 0x7ff;

    private const long SYS_setgroups = 116;

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "pread", SetLastError = true)]
    public static partial nint Pread(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "pwrite", SetLastError = true)]
    public static partial nint Pwrite(int fd, byte* buffer, nuint count, long offset);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport(Lib, EntryPoint = "truncate", SetLastError = true)]
    public static partial int Truncate(byte* path, long length);

    [LibraryImport(Lib, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport(Lib, EntryPoint = "unlink", SetLastError = true)]
    public static partial int Unlink(byte* path);

    [LibraryImport(Lib, EntryPoint = "rmdir", SetLastError = true)]
    public static partial int Rmdir(byte* path);

    [LibraryImport(Lib, EntryPoint = "mkdir", SetLastError = true)]
    public static partial int Mkdir(byte* path, uint mode);

    [LibraryImport(Lib, EntryPoint = "rename", SetLastError = true)]
    public static partial int Rename(byte* from, byte* to);

    [LibraryImport(Lib, EntryPoint = "renameat2", SetLastError = true)]
    public static partial int Renameat2(int fromDir, byte* from, int toDir, byte* to, uint flags);

    [LibraryImport(Lib, EntryPoint = "link", SetLastError = true)]
    public static partial int Link(byte* existing, byte* newPath);

    [LibraryImport(Lib, EntryPoint = "symlink", SetLastError = true)]
    public static partial int Symlink(byte* target, byte* linkPath);

    [LibraryImport(Lib, EntryPoint = "readlink", SetLastError = true)]
    public static partial nint Readlink(byte* path, byte* buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, Statx* buffer);

    [LibraryImport(Lib, EntryPoint = "chmod", SetLastError = true)]
    public static partial int Chmod(byte* path, uint mode);

    [LibraryImport(Lib, EntryPoint = "lchown", SetLastError = true)]
    public static partial int Lchown(byte* path, uint uid, uint gid);

    [LibraryImport(Lib, EntryPoint = "utimensat", SetLastError = true)]
    public static partial int Utimensat(int dirfd, byte* path, Timespec* times, int flags);

    [LibraryImport(Lib, EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int Lsetxattr(byte* path, byte* name, byte* value, nuint size, int flags);

    [LibraryImport(Lib, EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint Lgetxattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport(Lib, EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint Llistxattr(byte* path, byte* list, nuint size);

    [LibraryImport(Lib, EntryPoint = "lremovexattr", SetLastError = true)]
    public static partial int Lremovexattr(byte* path, byte* name);

    [LibraryImport(Lib, EntryPoint = "fgetxattr", SetLastError = true)]
    public static partial nint Fgetxattr(int fd, byte* name, byte* value, nuint size);

    [LibraryImport(Lib, EntryPoint = "mknod", SetLastError = true)]
    public static partial int Mknod(byte* path, uint mode, ulong dev);

    [LibraryImport(Lib, EntryPoint = "statfs", SetLastError = true)]
    public static partial int Statfs(byte* path, StatfsBuffer* buffer);

    [LibraryImport(Lib, EntryPoint = "fallocate", SetLastError = true)]
    public static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport(Lib, EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport(Lib, EntryPoint = "faccessat", SetLastError = true)]
    public static partial int Faccessat(int dirfd, byte* path, int mode, int flags);

    [LibraryImport(Lib, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint Getdents64(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport(Lib, EntryPoint = "msync", SetLastError = true)]
    public static partial int Msync(nint address, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int FcntlLock(int fd, int command, Flock* lk);

    [LibraryImport(Lib, EntryPoint = "setfsuid")]
    public static partial int Setfsuid(uint uid);

    [LibraryImport(Lib, EntryPoint = "setfsgid")]
    public static partial int Setfsgid(uint gid);

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallSetgroups(long number, nint count, uint* groups);

    /// <summary>The raw system call changes only the calling thread's groups (glibc's wrapper changes every thread's).</summary>
    public static int SetThreadGroups(ReadOnlySpan<uint> groups)
    {
        fixed (uint* g = groups) return (int)SyscallSetgroups(SYS_setgroups, groups.Length, g);
    }

    [LibraryImport(Lib, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    public static int LastErrno => Marshal.GetLastPInvokeError();
}

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}

/// <summary>struct statx (linux/stat.h), 256 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct Statx
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(4)] public uint BlockSize;
    [FieldOffset(16)] public uint Nlink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Ino;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(48)] public ulong Blocks;
    [FieldOffset(64)] public long AtimeSec;
    [FieldOffset(72)] public uint AtimeNsec;
    [FieldOffset(96)] public long CtimeSec;
    [FieldOffset(104)] public uint CtimeNsec;
    [FieldOffset(112)] public long MtimeSec;
    [FieldOffset(120)] public uint MtimeNsec;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    public readonly uint Type => Mode & Libc.S_IFMT;
}

/// <summary>struct statfs on x86_64, 120 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 120)]
internal struct StatfsBuffer
{
    [FieldOffset(0)] public long Type;
    [FieldOffset(8)] public long BlockSize;
    [FieldOffset(16)] public ulong Blocks;
    [FieldOffset(24)] public ulong BlocksFree;
    [FieldOffset(32)] public ulong BlocksAvailable;
    [FieldOffset(40)] public ulong Files;
    [FieldOffset(48)] public ulong FilesFree;
    [FieldOffset(64)] public long NameMax;
    [FieldOffset(72)] public long FragmentSize;
}

/// <summary>struct flock on x86_64, 32 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct Flock
{
    [FieldOffset(0)] public short Type;
    [FieldOffset(2)] public short Whence;
    [FieldOffset(8)] public long Start;
    [FieldOffset(16)] public long Length;
    [FieldOffset(24)] public int Pid;
}
