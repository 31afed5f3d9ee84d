using System.Runtime.InteropServices;

namespace Gateway.Vfs.Native;

/// <summary>The calls behind <see cref="IVfsOpenFile"/>: seeking for data/holes, fallocate modes, copy_file_range.</summary>
internal static unsafe partial class LibC
{
    public const int SEEK_DATA = 3;
    public const int SEEK_HOLE = 4;

    public const int FALLOC_FL_KEEP_SIZE = 0x01;
    public const int FALLOC_FL_PUNCH_HOLE = 0x02;
    public const int FALLOC_FL_ZERO_RANGE = 0x10;

    [LibraryImport(Lib, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nuint length, uint flags);
}
