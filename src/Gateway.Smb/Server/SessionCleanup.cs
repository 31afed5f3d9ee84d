namespace Gateway.Smb.Server;

/// <summary>What LOGOFF, a dropped connection and TREE_DISCONNECT release: opens with their locks and share reservations.</summary>
internal static class SessionCleanup
{
    public static void Logoff(SmbServer server, SmbSession session)
    {
        foreach (var open in session.Opens.Values)
            OpenCloser.Close(server, open);
        session.Trees.Clear();
    }

    public static void DisconnectTree(SmbServer server, SmbSession session, SmbTree tree)
    {
        foreach (var open in session.Opens.Values)
            if (open.Tree == tree)
                OpenCloser.Close(server, open);
        session.Trees.TryRemove(tree.Id, out _);
    }
}
