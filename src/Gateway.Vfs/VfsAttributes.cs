namespace Gateway.Vfs;

/// <summary>
/// Attributes of one node. Times are nanoseconds since the Unix epoch (UTC).
/// <see cref="CreationTime"/> and <see cref="DosAttributes"/> come from the Store when a Windows
/// client set them, otherwise from the file's birth time and mode.
/// </summary>
public readonly record struct VfsAttributes(
    NodeId Node,
    FileType Type,
    uint Mode,
    uint Nlink,
    uint Uid,
    uint Gid,
    ulong Size,
    ulong Used,
    uint RdevMajor,
    uint RdevMinor,
    ulong FsId,
    long AccessTime,
    long ModifyTime,
    long ChangeTime,
    long CreationTime,
    DosAttributes DosAttributes)
{
    /// <summary>Permission bits only (07777).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>A value that changes whenever the file's data or metadata change (NFSv4 change attribute, SMB change time).</summary>
    public ulong ChangeId => (ulong)ChangeTime;
}

/// <summary>Pre-operation attributes kept for weak cache consistency (NFSv3 wcc_data).</summary>
public readonly record struct WccAttributes(ulong Size, long ModifyTime, long ChangeTime)
{
    public static WccAttributes From(in VfsAttributes a) => new(a.Size, a.ModifyTime, a.ChangeTime);
}

/// <summary>Directory attributes before and after a mutating operation (NFSv3 wcc_data, NFSv4 change_info4).</summary>
public readonly record struct DirChange(WccAttributes? Before, VfsAttributes? After);
