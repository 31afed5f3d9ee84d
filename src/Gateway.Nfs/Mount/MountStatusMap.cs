using Gateway.Vfs;

namespace Gateway.Nfs.Mount;

// CS8524: an unnamed VfsStatus value (a cast integer) throws SwitchExpressionException; every named
// value must have an arm (CS8509 stays an error).
#pragma warning disable CS8524

/// <summary>
/// VfsStatus → mountstat3, for MNT's walk of a path beneath an export (IVfs.LookupPath).
/// Exhaustive with no default arm, like <see cref="V3.Nfs3StatusMap"/>.
/// </summary>
public static class MountStatusMap
{
    public static MountStatus Map(VfsStatus status) => status switch
    {
        VfsStatus.Ok => MountStatus.MNT3_OK,
        VfsStatus.NotFound => MountStatus.MNT3ERR_NOENT,
        VfsStatus.NotDirectory => MountStatus.MNT3ERR_NOTDIR,
        // A symlink on the path: the server never follows one, so as a path component it is not a directory.
        VfsStatus.Loop => MountStatus.MNT3ERR_NOTDIR,
        VfsStatus.AccessDenied => MountStatus.MNT3ERR_ACCES,
        VfsStatus.NotPermitted => MountStatus.MNT3ERR_PERM,
        VfsStatus.NameTooLong => MountStatus.MNT3ERR_NAMETOOLONG,
        VfsStatus.InvalidName => MountStatus.MNT3ERR_INVAL,
        VfsStatus.Invalid => MountStatus.MNT3ERR_INVAL,
        // The path vanished or moved while it was being walked: there is nothing to mount.
        VfsStatus.Stale => MountStatus.MNT3ERR_NOENT,
        VfsStatus.BadHandle => MountStatus.MNT3ERR_NOENT,
        VfsStatus.NotSupported => MountStatus.MNT3ERR_NOTSUPP,
        VfsStatus.Io => MountStatus.MNT3ERR_IO,
        // Statuses a lookup cannot produce; should one appear, it is the server's fault.
        VfsStatus.Exists => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.IsDirectory => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.NotEmpty => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.NoSpace => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.QuotaExceeded => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.ReadOnly => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.CrossDevice => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.NotSync => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.LockConflict => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.ShareConflict => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.TooManyLinks => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.FileTooBig => MountStatus.MNT3ERR_SERVERFAULT,
        VfsStatus.BadCookie => MountStatus.MNT3ERR_SERVERFAULT,
    };
}
#pragma warning restore CS8524
