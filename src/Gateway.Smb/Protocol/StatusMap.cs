using Gateway.Vfs;

namespace Gateway.Smb.Protocol;

/// <summary>The one VfsStatus -> NTSTATUS table of the SMB adapter (what Windows returns for the same failure).</summary>
internal static class StatusMap
{
    public static uint ToNtStatus(VfsStatus status) => status switch
    {
        VfsStatus.Ok => NtStatus.Success,
        VfsStatus.NotFound => NtStatus.ObjectNameNotFound,
        VfsStatus.Exists => NtStatus.ObjectNameCollision,
        VfsStatus.NotDirectory => NtStatus.NotADirectory,
        VfsStatus.IsDirectory => NtStatus.FileIsADirectory,
        VfsStatus.NotEmpty => NtStatus.DirectoryNotEmpty,
        VfsStatus.AccessDenied => NtStatus.AccessDenied,
        VfsStatus.NotPermitted => NtStatus.AccessDenied,
        VfsStatus.NoSpace => NtStatus.DiskFull,
        VfsStatus.QuotaExceeded => NtStatus.QuotaExceeded,
        VfsStatus.NameTooLong => NtStatus.NameTooLong,
        VfsStatus.InvalidName => NtStatus.ObjectNameInvalid,
        VfsStatus.ReadOnly => NtStatus.MediaWriteProtected,
        VfsStatus.CrossDevice => NtStatus.NotSameDevice,
        // The node went away under an open handle: the handle no longer names a file.
        VfsStatus.Stale => NtStatus.FileClosed,
        VfsStatus.BadHandle => NtStatus.InvalidHandle,
        VfsStatus.NotSync => NtStatus.Unsuccessful,
        VfsStatus.LockConflict => NtStatus.LockNotGranted,
        VfsStatus.ShareConflict => NtStatus.SharingViolation,
        // A symlink met where none may be followed: Windows reports the name as unusable.
        VfsStatus.Loop => NtStatus.ObjectPathNotFound,
        VfsStatus.TooManyLinks => NtStatus.TooManyLinks,
        VfsStatus.FileTooBig => NtStatus.DiskFull,
        VfsStatus.BadCookie => NtStatus.InvalidParameter,
        VfsStatus.NotSupported => NtStatus.NotSupported,
        VfsStatus.Invalid => NtStatus.InvalidParameter,
        VfsStatus.Io => NtStatus.Unsuccessful,
        _ => NtStatus.InternalError,
    };

    /// <summary>For a failure on a path component before the last one.</summary>
    public static uint ForIntermediate(VfsStatus status) => status switch
    {
        VfsStatus.NotFound or VfsStatus.NotDirectory or VfsStatus.Loop => NtStatus.ObjectPathNotFound,
        _ => ToNtStatus(status),
    };
}
