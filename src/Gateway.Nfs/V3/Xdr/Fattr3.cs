using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3.Xdr;

// RFC 1813 §2.6 (84 bytes on the wire):
//
//   struct specdata3 { uint32 specdata1; uint32 specdata2; };
//   struct nfstime3  { uint32 seconds;   uint32 nseconds;  };
//   struct fattr3 {
//      ftype3     type;        mode3      mode;       uint32   nlink;
//      uid3       uid;         gid3       gid;
//      size3      size;        size3      used;       specdata3 rdev;
//      uint64     fsid;        fileid3    fileid;
//      nfstime3   atime;       nfstime3   mtime;      nfstime3  ctime;
//   };
//
// fsid is the export's (one per export, so a client never crosses a mount point inside it);
// fileid is the NodeId, which is never 0 (some macOS clients crash on fileid 0).
internal static class Fattr3
{
    public const int Size = 84;

    public static void Write(ref XdrWriter writer, in VfsAttributes a, ulong fsid)
    {
        if (a.Node.IsNone) throw new InvalidOperationException("fileid 0 must never reach the wire");
        writer.WriteUInt32((uint)TypeOf(a.Type));
        writer.WriteUInt32(a.Mode & 0xFFF);
        writer.WriteUInt32(a.Nlink);
        writer.WriteUInt32(a.Uid);
        writer.WriteUInt32(a.Gid);
        writer.WriteUInt64(a.Size);
        writer.WriteUInt64(a.Used);
        writer.WriteUInt32(a.RdevMajor);
        writer.WriteUInt32(a.RdevMinor);
        writer.WriteUInt64(fsid);
        writer.WriteUInt64(a.Node.Value);
        Nfstime3.Write(ref writer, a.AccessTime);
        Nfstime3.Write(ref writer, a.ModifyTime);
        Nfstime3.Write(ref writer, a.ChangeTime);
    }

#pragma warning disable CS8524 // every named FileType has an arm; a cast integer throws
    public static Ftype3 TypeOf(FileType type) => type switch
    {
        FileType.Regular => Ftype3.NF3REG,
        FileType.Directory => Ftype3.NF3DIR,
        FileType.BlockDevice => Ftype3.NF3BLK,
        FileType.CharDevice => Ftype3.NF3CHR,
        FileType.Symlink => Ftype3.NF3LNK,
        FileType.Socket => Ftype3.NF3SOCK,
        FileType.Fifo => Ftype3.NF3FIFO,
    };
#pragma warning restore CS8524
}

// nfstime3 from and to the Vfs's nanoseconds since the epoch. Seconds are uint32 on the wire;
// a time before 1970 wraps as Linux nfsd's (u32)tv_sec does.
internal static class Nfstime3
{
    private const long NanosPerSecond = 1_000_000_000L;

    public static void Write(ref XdrWriter writer, long unixNanoseconds)
    {
        var seconds = Math.DivRem(unixNanoseconds, NanosPerSecond, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += NanosPerSecond;
        }
        writer.WriteUInt32(unchecked((uint)seconds));
        writer.WriteUInt32((uint)nanos);
    }

    public static long Read(ref XdrReader reader)
    {
        long seconds = reader.ReadUInt32();
        long nanos = reader.ReadUInt32();
        return (seconds * NanosPerSecond) + nanos;
    }
}
