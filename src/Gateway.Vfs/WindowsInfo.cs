namespace Gateway.Vfs;

/// <summary>DOS/Windows file attribute bits (MS-FSCC 2.6); kept in the Store because the disk can't hold them.</summary>
[Flags]
public enum DosAttributes : uint
{
    None = 0,
    ReadOnly = 0x1,
    Hidden = 0x2,
    System = 0x4,
    Directory = 0x10,
    Archive = 0x20,
    Normal = 0x80,
    Temporary = 0x100,
    SparseFile = 0x200,
    ReparsePoint = 0x400,
    Compressed = 0x800,
    Offline = 0x1000,
    NotContentIndexed = 0x2000,
    Encrypted = 0x4000,
}

/// <summary>What a Windows client may set: null fields are left alone.</summary>
public readonly record struct WindowsInfoUpdate(DosAttributes? DosAttributes, long? CreationTime);
