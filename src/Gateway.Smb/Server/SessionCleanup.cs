namespace Gateway.Smb.Server;

/// <summary>What LOGOFF, a dropped connection and TREE_DISCONNECT release: opens with their locks and share reservations.</summary>
internal static class SessionCleanup
{
    public static void Logoff(SmbServer server, SmbSession session)
    {
        foreach (var open in InOpenOrder(session))
            OpenCloser.Close(server, open);
        session.Trees.Clear();
    }

    public static void DisconnectTree(SmbServer server, SmbSession session, SmbTree tree)
    {
        foreach (var open in InOpenOrder(session))
            if (open.Tree == tree)
                OpenCloser.Close(server, open);
        session.Trees.TryRemove(tree.Id, out _);
    }

    // Oldest open first, as Samba closes them: a lock that an older open held and a newer one
    // waits for is granted before the waiter's own open goes (smbtorture smb2.lock.cancel-logoff).
    private static SmbOpen[] InOpenOrder(SmbSession session)
    {
        var opens = session.Opens.Values.ToArray();
        Array.Sort(opens, static (a, b) => a.VolatileId.CompareTo(b.VolatileId));
        return opens;
    }
}
