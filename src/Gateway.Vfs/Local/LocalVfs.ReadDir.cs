using System.Collections.Concurrent;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    /// <summary>A directory's entries sorted by cookie, kept between the pages of one listing.</summary>
    private sealed record Listing((string Name, ulong Cookie)[] Entries);

    private readonly ConcurrentDictionary<ulong, Listing> _listings = new();

    private void InvalidateListing(NodeId dir) => _listings.TryRemove(dir.Value, out _);

    public VfsResult<ReadDirPage> ReadDir(Principal caller, NodeId dir, ulong cookie, int maxEntries, bool withAttributes)
    {
        if (maxEntries <= 0) return VfsStatus.Invalid;
        var s = Node(dir, out var dirRec);
        if (s != VfsStatus.Ok) return s;
        if (!dirRec.IsDirectory) return VfsStatus.NotDirectory;
        s = Stat(dirRec, out var dirAttrs);
        if (s != VfsStatus.Ok) return s;
        if (!Permissions.Allowed(dirAttrs, caller, Permissions.R)) return VfsStatus.AccessDenied;
        s = _index.Lease(dirRec, out var lease);
        if (s != VfsStatus.Ok) return s;

        using (lease)
        {
            // A listing starts from the disk; its later pages reuse the sorted snapshot unless the
            // directory changed through us or outside (both invalidate it).
            if (cookie == 0 || !_listings.TryGetValue(dirRec.Id.Value, out var listing))
            {
                var raw = DirectoryReader.Read(lease.Fd);
                var entries = new (string Name, ulong Cookie)[raw.Count];
                for (var i = 0; i < raw.Count; i++) entries[i] = (raw[i].Name, NameHash.Cookie(raw[i].Name));
                Array.Sort(entries, static (a, b) => a.Cookie != b.Cookie ? a.Cookie.CompareTo(b.Cookie) : string.CompareOrdinal(a.Name, b.Name));
                listing = new Listing(entries);
                _listings[dirRec.Id.Value] = listing;
            }

            var start = FirstAfter(listing.Entries, cookie);
            var page = new List<DirEntry>(Math.Min(maxEntries, listing.Entries.Length - start));
            var i2 = start;
            for (; i2 < listing.Entries.Length && page.Count < maxEntries; i2++)
            {
                var (name, entryCookie) = listing.Entries[i2];
                if (Sys.StatAt(lease.Fd, name, out var st) != 0) continue; // removed since the snapshot
                var rec = _index.Register(dirRec, name, st);
                page.Add(new DirEntry(name, rec.Id, Sys.TypeOf(st.Mode), entryCookie, withAttributes ? ToAttributes(rec, st) : null));
            }
            var eof = i2 >= listing.Entries.Length;
            return new ReadDirPage(page, eof, DirectoryVerifier(dirRec), dirAttrs);
        }
    }

    private static int FirstAfter((string Name, ulong Cookie)[] entries, ulong cookie)
    {
        if (cookie == 0) return 0;
        int lo = 0, hi = entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Cookie <= cookie) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Cookies never go bad (they are name hashes), so the verifier only names the directory: a client
    /// resuming with a cookie after the directory changed is served, not refused (Finder's lesson).
    /// </summary>
    private static ulong DirectoryVerifier(NodeRecord dir) => dir.Id.Value * 0x9E3779B97F4A7C15UL ^ dir.Gen;
}
