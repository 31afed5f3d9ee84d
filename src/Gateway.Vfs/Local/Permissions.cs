namespace Gateway.Vfs.Local;

/// <summary>POSIX mode-bit checks for a <see cref="Principal"/> (the gateway itself may run as root).</summary>
internal static class Permissions
{
    public const int R = 4, W = 2, X = 1;

    public static bool Allowed(in VfsAttributes a, Principal p, int want)
    {
        if (want == 0) return true;
        if (p.IsSuperUser)
            return (want & X) == 0 || a.Type == FileType.Directory || (a.Mode & 0x49) != 0; // root may execute only what someone can
        var bits = p.Uid == a.Uid ? (a.Mode >> 6) & 7 : p.InGroup(a.Gid) ? (a.Mode >> 3) & 7 : a.Mode & 7;
        return ((int)bits & want) == want;
    }

    public static bool IsOwnerOrRoot(in VfsAttributes a, Principal p) => p.IsSuperUser || p.Uid == a.Uid;

    /// <summary>Sticky directories: only the owner of the entry or of the directory may remove or rename it.</summary>
    public static bool MayDeleteFrom(in VfsAttributes dir, in VfsAttributes entry, Principal p) =>
        (dir.Mode & 0x200) == 0 || p.IsSuperUser || p.Uid == entry.Uid || p.Uid == dir.Uid;
}
