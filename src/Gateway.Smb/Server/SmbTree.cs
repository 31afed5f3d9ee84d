namespace Gateway.Smb.Server;

/// <summary>One TREE_CONNECT: a disk share or IPC$ (Share null).</summary>
internal sealed class SmbTree(uint id, SmbShare? share, bool encryptData)
{
    public uint Id { get; } = id;
    public SmbShare? Share { get; } = share;
    public bool IsPipe => Share is null;
    public bool EncryptData { get; } = encryptData;
    public uint MaximalAccess { get; init; }
}
