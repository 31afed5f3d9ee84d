namespace Gateway.Vfs.Locking;

/// <summary>The protocol an owner came in through. Persisted: values are frozen.</summary>
public enum LockProtocol : byte
{
    Nlm = 1,
    Nfs4 = 2,
    Smb = 3,
    Fuse = 4,
    Local = 5,
}
