namespace Gateway.Fuse.Abi;

/// <summary>Flag and constant values from linux/fuse.h (7.45); checked against C by native/abi-check (fuse target).</summary>
internal static class FuseConst
{
    public const uint FUSE_KERNEL_VERSION = 7;
    /// <summary>The newest minor we speak: 7.40 brought passthrough; nothing we use needs more.</summary>
    public const uint OurMinor = 41;
    public const ulong FUSE_ROOT_ID = 1;
    public const int FUSE_MIN_READ_BUFFER = 8192;

    // fuse_init flags (bits 32..63 travel in flags2)
    public const ulong FUSE_ASYNC_READ = 1UL << 0;
    public const ulong FUSE_POSIX_LOCKS = 1UL << 1;
    public const ulong FUSE_ATOMIC_O_TRUNC = 1UL << 3;
    public const ulong FUSE_EXPORT_SUPPORT = 1UL << 4;
    public const ulong FUSE_BIG_WRITES = 1UL << 5;
    public const ulong FUSE_DONT_MASK = 1UL << 6;
    public const ulong FUSE_FLOCK_LOCKS = 1UL << 10;
    public const ulong FUSE_AUTO_INVAL_DATA = 1UL << 12;
    public const ulong FUSE_DO_READDIRPLUS = 1UL << 13;
    public const ulong FUSE_READDIRPLUS_AUTO = 1UL << 14;
    public const ulong FUSE_ASYNC_DIO = 1UL << 15;
    public const ulong FUSE_WRITEBACK_CACHE = 1UL << 16;
    public const ulong FUSE_PARALLEL_DIROPS = 1UL << 18;
    public const ulong FUSE_ABORT_ERROR = 1UL << 21;
    public const ulong FUSE_MAX_PAGES = 1UL << 22;
    public const ulong FUSE_EXPLICIT_INVAL_DATA = 1UL << 25;
    public const ulong FUSE_INIT_EXT = 1UL << 30;
    public const ulong FUSE_HAS_EXPIRE_ONLY = 1UL << 35;
    public const ulong FUSE_PASSTHROUGH = 1UL << 37;

    // fuse_setattr_in.valid
    public const uint FATTR_MODE = 1 << 0;
    public const uint FATTR_UID = 1 << 1;
    public const uint FATTR_GID = 1 << 2;
    public const uint FATTR_SIZE = 1 << 3;
    public const uint FATTR_ATIME = 1 << 4;
    public const uint FATTR_MTIME = 1 << 5;
    public const uint FATTR_FH = 1 << 6;
    public const uint FATTR_ATIME_NOW = 1 << 7;
    public const uint FATTR_MTIME_NOW = 1 << 8;
    public const uint FATTR_LOCKOWNER = 1 << 9;
    public const uint FATTR_CTIME = 1 << 10;
    public const uint FATTR_KILL_SUIDGID = 1 << 11;

    // fuse_open_out.open_flags
    public const uint FOPEN_DIRECT_IO = 1 << 0;
    public const uint FOPEN_KEEP_CACHE = 1 << 1;
    public const uint FOPEN_PASSTHROUGH = 1 << 7;

    public const uint FUSE_GETATTR_FH = 1 << 0;
    public const uint FUSE_LK_FLOCK = 1 << 0;
    public const uint FUSE_RELEASE_FLUSH = 1 << 0;
    public const uint FUSE_RELEASE_FLOCK_UNLOCK = 1 << 1;
    public const uint FUSE_FSYNC_FDATASYNC = 1 << 0;

    /// <summary>FUSE_DEV_IOC_CLONE = _IOR(229, 0, uint32_t).</summary>
    public const uint FUSE_DEV_IOC_CLONE = 0x8004E500;
    /// <summary>FUSE_DEV_IOC_BACKING_OPEN = _IOW(229, 1, struct fuse_backing_map) (16 bytes).</summary>
    public const uint FUSE_DEV_IOC_BACKING_OPEN = 0x4010E501;
    /// <summary>FUSE_DEV_IOC_BACKING_CLOSE = _IOW(229, 2, uint32_t).</summary>
    public const uint FUSE_DEV_IOC_BACKING_CLOSE = 0x4004E502;

    // statx masks (linux/stat.h) for FUSE_STATX replies
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const uint STATX_BTIME = 0x800;

    // fcntl lock types as fuse_file_lock.type carries them
    public const uint F_RDLCK = 0;
    public const uint F_WRLCK = 1;
    public const uint F_UNLCK = 2;

    // rename2 flags
    public const uint RENAME_NOREPLACE = 1;
    public const uint RENAME_EXCHANGE = 2;
    public const uint RENAME_WHITEOUT = 4;

    // setxattr flags
    public const int XATTR_CREATE = 1;
    public const int XATTR_REPLACE = 2;

    // fallocate modes
    public const uint FALLOC_FL_KEEP_SIZE = 0x01;
    public const uint FALLOC_FL_PUNCH_HOLE = 0x02;
    public const uint FALLOC_FL_ZERO_RANGE = 0x10;
}
