using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// How SMB shows a node's attributes. ChangeTime is reported as the modification time, as Samba
/// does: POSIX ctime cannot be set, so a client that sets ChangeTime (Windows Explorer, robocopy,
/// smbtorture's setup helpers) would otherwise never read back what it set.
/// </summary>
internal static class SmbAttributes
{
    public static VfsAttributes View(in VfsAttributes a) => a with { ChangeTime = a.ModifyTime };
}
