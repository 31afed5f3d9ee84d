using Gateway.Fuse.Abi;
using Gateway.Vfs;

namespace Gateway.Fuse.Protocol;

/// <summary>VfsAttributes → struct fuse_attr, and the file type bits the kernel wants in mode and dirents.</summary>
internal static class FuseAttrCodec
{
    public const uint S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000, S_IFDIR = 0x4000,
        S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    public static uint TypeBits(FileType type) => type switch
    {
        FileType.Directory => S_IFDIR,
        FileType.Symlink => S_IFLNK,
        FileType.CharDevice => S_IFCHR,
        FileType.BlockDevice => S_IFBLK,
        FileType.Fifo => S_IFIFO,
        FileType.Socket => S_IFSOCK,
        _ => S_IFREG,
    };

    /// <summary>DT_* for a dirent: the S_IF* bits shifted down, as the kernel computes it.</summary>
    public static uint DirentType(FileType type) => TypeBits(type) >> 12;

    public static FuseAttr Encode(in VfsAttributes a, ulong fuseNodeId)
    {
        var attr = new FuseAttr
        {
            Ino = fuseNodeId,
            Size = a.Size,
            Blocks = (a.Used + 511) / 512,
            Mode = TypeBits(a.Type) | (a.Mode & 0xFFF),
            Nlink = a.Nlink,
            Uid = a.Uid,
            Gid = a.Gid,
            Rdev = (a.RdevMajor << 8) | (a.RdevMinor & 0xFF) | ((a.RdevMinor & ~0xFFu) << 12),
            BlkSize = 4096,
        };
        (attr.Atime, attr.AtimeNsec) = Split(a.AccessTime);
        (attr.Mtime, attr.MtimeNsec) = Split(a.ModifyTime);
        (attr.Ctime, attr.CtimeNsec) = Split(a.ChangeTime);
        return attr;
    }

    /// <summary>Unix nanoseconds → (seconds, nanoseconds); times before 1970 keep a positive nanosecond part.</summary>
    public static (ulong Seconds, uint Nanoseconds) Split(long unixNs)
    {
        var s = Math.DivRem(unixNs, 1_000_000_000L, out var ns);
        if (ns < 0)
        {
            s--;
            ns += 1_000_000_000L;
        }
        return ((ulong)s, (uint)ns);
    }

    public static long Join(ulong seconds, uint nanoseconds) => (long)seconds * 1_000_000_000L + nanoseconds;
}
