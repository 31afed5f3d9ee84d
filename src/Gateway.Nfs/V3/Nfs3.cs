namespace Gateway.Nfs.V3;

// RFC 1813 constants and the limits this server advertises (FSINFO) and enforces.
internal static class Nfs3
{
    public const uint Program = 100003;
    public const uint Version = 3;

    // nfs_fh3: opaque data<NFS3_FHSIZE>.
    public const int FhSize = 64;

    // Advertised by FSINFO as rtmax/rtpref/wtmax/wtpref; READ and WRITE counts are capped here.
    public const int MaxIo = 1024 * 1024;

    // FSINFO dtpref; READDIR/READDIRPLUS replies are also capped at MaxIo.
    public const int PreferredDirectoryRead = 64 * 1024;

    // filename3 on the wire is string<>; Linux NAME_MAX is 255 bytes.
    public const int MaxNameBytes = 255;

    // nfspath3 (symlink targets): Linux PATH_MAX.
    public const int MaxPathBytes = 4096;

    // writeverf3, createverf3, cookieverf3: opaque[8].
    public const int VerifierSize = 8;

    // FSINFO properties (RFC 1813 §3.3.19).
    public const uint FSF3_LINK = 0x0001;
    public const uint FSF3_SYMLINK = 0x0002;
    public const uint FSF3_HOMOGENEOUS = 0x0008;
    public const uint FSF3_CANSETTIME = 0x0010;
}

// RFC 1813 §3.3, procedure numbers of NFS_V3.
internal enum Nfs3Procedure : uint
{
    NULL = 0,
    GETATTR = 1,
    SETATTR = 2,
    LOOKUP = 3,
    ACCESS = 4,
    READLINK = 5,
    READ = 6,
    WRITE = 7,
    CREATE = 8,
    MKDIR = 9,
    SYMLINK = 10,
    MKNOD = 11,
    REMOVE = 12,
    RMDIR = 13,
    RENAME = 14,
    LINK = 15,
    READDIR = 16,
    READDIRPLUS = 17,
    FSSTAT = 18,
    FSINFO = 19,
    PATHCONF = 20,
    COMMIT = 21,
}

// RFC 1813 §2.6, enum ftype3.
internal enum Ftype3 : uint
{
    NF3REG = 1,
    NF3DIR = 2,
    NF3BLK = 3,
    NF3CHR = 4,
    NF3LNK = 5,
    NF3SOCK = 6,
    NF3FIFO = 7,
}
