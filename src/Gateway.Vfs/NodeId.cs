namespace Gateway.Vfs;

/// <summary>
/// Stable 64-bit identity of a file the gateway has seen, persisted in the Store.
/// Wire handles (NFS file handles, SMB FileIds, FUSE inodes) are built from it.
/// Zero is never handed out: some clients treat fileid 0 as "no file".
/// </summary>
public readonly record struct NodeId(ulong Value)
{
    public static readonly NodeId None = new(0);
    public static readonly NodeId Root = new(1);

    public bool IsNone => Value == 0;

    public override string ToString() => Value.ToString();
}
