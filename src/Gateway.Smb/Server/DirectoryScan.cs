using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// One directory enumeration of an open (QUERY_DIRECTORY): the listing taken when the scan starts
/// ("." and ".." first, then the Vfs entries with attributes), the search pattern, and how far the
/// client has read. RESTART_SCANS or REOPEN or a new pattern start a fresh listing.
/// </summary>
internal sealed class DirectoryScan(string pattern, List<(string Name, VfsAttributes Attributes)> entries)
{
    public string Pattern { get; } = pattern;
    public List<(string Name, VfsAttributes Attributes)> Entries { get; } = entries;
    public int Next { get; set; }
    public bool MatchedAny { get; set; }

    /// <summary>Listing limit: a directory larger than this is cut (clients page through it anyway).</summary>
    public const int MaxEntries = 1_000_000;

    public static VfsStatus Load(IVfs vfs, Principal caller, SmbOpen open, string pattern, out DirectoryScan? scan)
    {
        scan = null;
        var entries = new List<(string, VfsAttributes)>();
        var self = vfs.GetAttr(open.Node);
        if (!self.IsOk)
            return self.Status;
        if (open.Node != vfs.Root)
        {
            var parent = vfs.GetAttr(open.Parent);
            entries.Add((".", self.Value));
            entries.Add(("..", parent.IsOk ? parent.Value : self.Value));
        }
        else
        {
            // Windows lists "." and ".." in a share's root too (both the root itself).
            entries.Add((".", self.Value));
            entries.Add(("..", self.Value));
        }
        ulong cookie = 0;
        while (entries.Count < MaxEntries)
        {
            var page = vfs.ReadDir(caller, open.Node, cookie, 512, withAttributes: true);
            if (!page.IsOk)
                return page.Status;
            foreach (var e in page.Value.Entries)
            {
                cookie = e.Cookie;
                if (e.Attributes is { } a)
                {
                    entries.Add((e.Name, a));
                }
                else
                {
                    var a2 = vfs.GetAttr(e.Node);
                    if (a2.IsOk)
                        entries.Add((e.Name, a2.Value));
                }
            }
            if (page.Value.Eof || page.Value.Entries.Count == 0)
                break;
        }
        scan = new DirectoryScan(pattern, entries);
        return VfsStatus.Ok;
    }
}
