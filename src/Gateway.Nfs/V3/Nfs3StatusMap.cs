using Gateway.Vfs;

namespace Gateway.Nfs.V3;

/// <summary>
/// The one VfsStatus → nfsstat3 table. Exhaustive with no default arm: a new VfsStatus does not
/// compile silently into a wrong answer (a test also walks every value and prints the matrix).
/// Rows that depend on the operation are explicit parameters, never guesses in a handler.
/// </summary>
// CS8524: an unnamed VfsStatus value (a cast integer) throws SwitchExpressionException; every named
// value must have an arm (CS8509 stays an error), which is the point of the table.
#pragma warning disable CS8524
public static class Nfs3StatusMap
{
    /// <param name="status">The Vfs answer.</param>
    /// <param name="invalidName">
    /// What an unusable name ('/', NUL, "." or ".." where not allowed, invalid UTF-8) becomes.
    /// INVAL for operations that create or remove; LOOKUP passes NOENT (no such entry can exist).
    /// </param>
    public static Nfs3Status Map(VfsStatus status, Nfs3Status invalidName = Nfs3Status.NFS3ERR_INVAL) => status switch
    {
        VfsStatus.Ok => Nfs3Status.NFS3_OK,
        VfsStatus.NotFound => Nfs3Status.NFS3ERR_NOENT,
        VfsStatus.Exists => Nfs3Status.NFS3ERR_EXIST,
        VfsStatus.NotDirectory => Nfs3Status.NFS3ERR_NOTDIR,
        VfsStatus.IsDirectory => Nfs3Status.NFS3ERR_ISDIR,
        VfsStatus.NotEmpty => Nfs3Status.NFS3ERR_NOTEMPTY,
        VfsStatus.AccessDenied => Nfs3Status.NFS3ERR_ACCES,
        VfsStatus.NotPermitted => Nfs3Status.NFS3ERR_PERM,
        VfsStatus.NoSpace => Nfs3Status.NFS3ERR_NOSPC,
        VfsStatus.QuotaExceeded => Nfs3Status.NFS3ERR_DQUOT,
        VfsStatus.NameTooLong => Nfs3Status.NFS3ERR_NAMETOOLONG,
        VfsStatus.InvalidName => invalidName,
        VfsStatus.ReadOnly => Nfs3Status.NFS3ERR_ROFS,
        VfsStatus.CrossDevice => Nfs3Status.NFS3ERR_XDEV,
        VfsStatus.Stale => Nfs3Status.NFS3ERR_STALE,
        VfsStatus.BadHandle => Nfs3Status.NFS3ERR_BADHANDLE,
        VfsStatus.NotSync => Nfs3Status.NFS3ERR_NOT_SYNC,
        // Another protocol holds a conflicting lock or share mode (an SMB deny-write open, a lease
        // being broken). NFSv3 has no lock errors on READ/WRITE; JUKEBOX asks the client to retry
        // later, as Linux nfsd answers EAGAIN and ganesha a share/lock conflict.
        VfsStatus.LockConflict => Nfs3Status.NFS3ERR_JUKEBOX,
        VfsStatus.ShareConflict => Nfs3Status.NFS3ERR_JUKEBOX,
        // No ELOOP in nfsstat3: the server met a symlink where none may be followed.
        VfsStatus.Loop => Nfs3Status.NFS3ERR_INVAL,
        VfsStatus.TooManyLinks => Nfs3Status.NFS3ERR_MLINK,
        VfsStatus.FileTooBig => Nfs3Status.NFS3ERR_FBIG,
        VfsStatus.BadCookie => Nfs3Status.NFS3ERR_BAD_COOKIE,
        VfsStatus.NotSupported => Nfs3Status.NFS3ERR_NOTSUPP,
        VfsStatus.Invalid => Nfs3Status.NFS3ERR_INVAL,
        VfsStatus.Io => Nfs3Status.NFS3ERR_IO,
    };
}
#pragma warning restore CS8524
