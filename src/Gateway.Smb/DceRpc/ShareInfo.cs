namespace Gateway.Smb.DceRpc;

/// <summary>A share as srvsvc lists it. Type: STYPE_DISKTREE 0, or 0x80000003 for IPC$ (STYPE_IPC | STYPE_SPECIAL).</summary>
public sealed record ShareInfo(string Name, uint Type, string Remark)
{
    public const uint DiskTree = 0;
    public const uint Ipc = 0x80000003;
}
