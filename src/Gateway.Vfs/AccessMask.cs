namespace Gateway.Vfs;

/// <summary>Access rights asked of <c>Access</c> (the NFSv3 ACCESS3 bits, which FUSE and SMB map onto).</summary>
[Flags]
public enum AccessMask : uint
{
    None = 0,
    Read = 0x01,
    Lookup = 0x02,
    Modify = 0x04,
    Extend = 0x08,
    Delete = 0x10,
    Execute = 0x20,
    All = 0x3F,
}
