namespace Gateway.Vfs.Locking;

/// <summary>
/// Access asked for by an open, or denied to later opens (SMB DesiredAccess/ShareAccess,
/// NFSv4 share_access/share_deny). Persisted: values are frozen.
/// </summary>
[Flags]
public enum ShareAccess : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Delete = 4,
}
