namespace Gateway.Vfs.Locking;

/// <summary>
/// Share access/deny checks, one rule for SMB and NFSv4 OPEN: a new open is refused when it asks
/// for access an existing open denies, or denies access an existing open has
/// ([MS-FSA] 2.1.5.1.2 sharing checks; RFC 8881 §9.7). Every open on the node is checked,
/// the same owner's included, as Windows does.
/// </summary>
internal static class ShareReservations
{
    public const ShareAccess All = ShareAccess.Read | ShareAccess.Write | ShareAccess.Delete;

    public static bool IsValid(ShareAccess bits) => (bits & ~All) == 0;

    public static bool Conflicts(ShareRecord existing, ShareAccess access, ShareAccess deny) =>
        (access & existing.Deny) != 0 || (deny & existing.Access) != 0;

    public static ShareRecord? FindConflict(ShareRecord[] shares, ShareAccess access, ShareAccess deny)
    {
        foreach (var existing in shares)
        {
            if (Conflicts(existing, access, deny))
                return existing;
        }
        return null;
    }

    public static int IndexOf(ShareRecord[] shares, ulong openId)
    {
        for (var i = 0; i < shares.Length; i++)
        {
            if (shares[i].OpenId == openId)
                return i;
        }
        return -1;
    }
}
