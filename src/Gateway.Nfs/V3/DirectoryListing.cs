using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3;

internal readonly record struct ListedEntry(string Name, NodeId Node, ulong Cookie, VfsAttributes? Attributes);

/// <summary>
/// One READDIR/READDIRPLUS page, shared by both procedures. Cookies: 0 starts a listing; "." is
/// cookie 1 and ".." cookie 2 (listed first, as Linux servers do); every other entry carries its
/// Vfs cookie (a name hash ≥ 3), so a client may resume from any cookie it was given, whatever
/// changed in the directory since: the verifier is never a reason to refuse (Finder's lesson).
/// The page stops before the first entry that would not fit the client's byte limits, estimated
/// from the exact XDR sizes; a limit too small for even one entry is NFS3ERR_TOOSMALL.
/// </summary>
internal sealed class DirectoryListing
{
    public const ulong DotCookie = 1;
    public const ulong DotDotCookie = 2;

    // READDIR3resok / READDIRPLUS3resok around the entries: status, dir_attributes, cookieverf,
    // the FALSE that ends the entry list, eof.
    public const int FixedReplySize = 4 + PostOpAttr.Size + Nfs3.VerifierSize + 4 + 4;

    private const int MaxBatch = 1024;

    private readonly bool _plus;
    private int _replyBudget;
    private int _dirBudget;

    private DirectoryListing(bool plus, int replyBudget, int dirBudget)
    {
        _plus = plus;
        _replyBudget = replyBudget;
        _dirBudget = dirBudget;
    }

    public List<ListedEntry> Entries { get; } = [];

    public bool Eof { get; private set; }

    public ulong Verifier { get; private set; }

    public VfsAttributes DirectoryAttributes { get; private set; }

    /// <summary>entry3 / the name part of entryplus3: value_follows, fileid, name&lt;&gt;, cookie.</summary>
    public static int EntrySize(string name) => 4 + 8 + 4 + XdrReader.PaddedLength(WireName.ByteCount(name)) + 8;

    /// <param name="maxReply">count (READDIR) or maxcount (READDIRPLUS): the whole resok.</param>
    /// <param name="maxDirectoryInfo">dircount (READDIRPLUS): names, fileids and cookies only; 0 = no limit.</param>
    public static Nfs3Status Read(Nfs3Context nfs, RpcCallContext call, in Nfs3Target dir, ulong cookie, bool plus,
        uint maxReply, uint maxDirectoryInfo, out DirectoryListing listing)
    {
        var replyBudget = (int)Math.Min(maxReply, (uint)Nfs3.MaxIo) - FixedReplySize;
        var dirBudget = maxDirectoryInfo == 0 ? int.MaxValue : (int)Math.Min(maxDirectoryInfo, int.MaxValue);
        listing = new DirectoryListing(plus, replyBudget, dirBudget);
        if (replyBudget <= 0) return NFS3ERR_TOOSMALL;

        var minimum = EntrySize("x") + (plus ? PostOpAttr.Size + PostOpFh3.Size : 0);
        var batch = Math.Clamp(replyBudget / minimum, 1, MaxBatch);
        var vfsCookie = cookie <= DotDotCookie ? 0 : cookie;
        var page = dir.Vfs.ReadDir(dir.Caller, dir.Node, vfsCookie, batch, plus);
        if (!page.IsOk) return nfs.Map(page.Status, call);
        listing.Verifier = page.Value.Verifier;
        listing.DirectoryAttributes = page.Value.DirectoryAttributes;

        var full = false;
        if (cookie == 0) full = !listing.TryAdd(new ListedEntry(".", dir.Node, DotCookie, page.Value.DirectoryAttributes));
        if (cookie <= DotCookie && !full)
        {
            var parent = dir.Vfs.Lookup(dir.Caller, dir.Node, "..");
            var dotdot = parent.IsOk
                ? new ListedEntry("..", parent.Value.Node, DotDotCookie, parent.Value.Attributes)
                : new ListedEntry("..", dir.Node, DotDotCookie, null);
            full = !listing.TryAdd(dotdot);
        }

        var eof = false;
        while (!full)
        {
            foreach (var e in page.Value.Entries)
            {
                if (listing.TryAdd(new ListedEntry(e.Name, e.Node, e.Cookie, e.Attributes))) continue;
                full = true;
                break;
            }
            if (full || page.Value.Eof || page.Value.Entries.Count == 0)
            {
                eof = !full && page.Value.Eof;
                break;
            }
            var next = dir.Vfs.ReadDir(dir.Caller, dir.Node, page.Value.Entries[^1].Cookie, batch, plus);
            if (!next.IsOk) break; // what we have is still a valid page; the client asks again from its last cookie
            page = next;
        }

        listing.Eof = eof;
        return listing.Entries.Count == 0 && !eof ? NFS3ERR_TOOSMALL : NFS3_OK;
    }

    private bool TryAdd(in ListedEntry entry)
    {
        var dirSize = EntrySize(entry.Name);
        var size = dirSize + (_plus ? 4 + (entry.Attributes is null ? 0 : Fattr3.Size) + PostOpFh3.Size : 0);
        // dircount is honoured from the second entry on: a page always holds one entry if maxcount allows.
        if (size > _replyBudget || (Entries.Count > 0 && dirSize > _dirBudget)) return false;
        _replyBudget -= size;
        _dirBudget -= dirSize;
        Entries.Add(entry);
        return true;
    }
}
