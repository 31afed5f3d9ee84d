using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// Name lookup as an SMB client expects it on a case-sensitive Linux directory: the exact name
/// first, and only when it is missing, a scan of the directory for a name that differs only in
/// case (Samba's default "case sensitive = auto" does the same). Windows clients take names as
/// case-insensitive ("Readme.TXT" opens "README.txt"); the cost is one directory listing, and
/// only on a miss. When several names match, the first the directory lists wins, as in Samba.
/// </summary>
internal static class CaselessLookup
{
    // Past this many entries a miss is reported as missing rather than scanned further: in a large directory
    // every open of a new name (OPEN_IF, OVERWRITE_IF) would otherwise list it all.
    private const int MaxScanned = 4096;
    private const int PageSize = 512;

    /// <summary>Looks <paramref name="name"/> up; on a case-insensitive hit, <paramref name="name"/> becomes the on-disk name.</summary>
    public static VfsResult<LookupResult> Lookup(IVfs vfs, Principal caller, NodeId dir, ref string name)
    {
        var exact = vfs.Lookup(caller, dir, name);
        if (exact.Status != VfsStatus.NotFound || !HasCase(name))
            return exact;
        var onDisk = Find(vfs, caller, dir, name);
        if (onDisk is null)
            return exact;
        var found = vfs.Lookup(caller, dir, onDisk);
        if (!found.IsOk)
            return exact;
        name = onDisk;
        return found;
    }

    // A name without letters that have another case cannot match anything but itself.
    private static bool HasCase(string name)
    {
        foreach (var ch in name)
            if (char.ToUpperInvariant(ch) != char.ToLowerInvariant(ch))
                return true;
        return false;
    }

    private static string? Find(IVfs vfs, Principal caller, NodeId dir, string name)
    {
        ulong cookie = 0;
        var scanned = 0;
        while (scanned < MaxScanned)
        {
            var page = vfs.ReadDir(caller, dir, cookie, PageSize, withAttributes: false);
            if (!page.IsOk)
                return null;
            foreach (var e in page.Value.Entries)
            {
                cookie = e.Cookie;
                if (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
                    return e.Name;
            }
            scanned += page.Value.Entries.Count;
            if (page.Value.Eof || page.Value.Entries.Count == 0)
                return null;
        }
        return null;
    }
}
