namespace Gateway.Vfs;

/// <summary>
/// The one error vocabulary of the Vfs. Each protocol maps it with an exhaustive
/// switch; numeric values are not persisted and carry no meaning.
/// </summary>
public enum VfsStatus
{
    Ok,
    NotFound,
    Exists,
    NotDirectory,
    IsDirectory,
    NotEmpty,
    AccessDenied,
    NotPermitted,
    NoSpace,
    QuotaExceeded,
    NameTooLong,
    /// <summary>A name with '/', NUL, "." or "..", or otherwise unusable as one path component.</summary>
    InvalidName,
    ReadOnly,
    CrossDevice,
    /// <summary>The node existed but is gone (deleted, replaced, or moved out of reach).</summary>
    Stale,
    /// <summary>The handle was never valid for this export.</summary>
    BadHandle,
    /// <summary>A SetAttr guard (expected ctime) did not match.</summary>
    NotSync,
    LockConflict,
    ShareConflict,
    /// <summary>Too many symbolic links, or a symlink met where none may be followed.</summary>
    Loop,
    TooManyLinks,
    FileTooBig,
    BadCookie,
    NotSupported,
    Invalid,
    Io,
}
