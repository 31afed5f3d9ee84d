using Gateway.Smb.Protocol;
using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// Closing an open: drop its share reservation and byte-range locks, complete a pending change
/// notify with STATUS_NOTIFY_CLEANUP, and on the file's last close carry out a pending delete
/// (MS-FSA 2.1.5.4: the name goes when the last handle goes).
/// </summary>
internal static class OpenCloser
{
    public static void Close(SmbServer server, SmbOpen open)
    {
        if (Interlocked.Exchange(ref open.Closed, 1) != 0)
            return;
        open.Session.Opens.TryRemove(open.VolatileId, out _);
        open.Watch?.Complete(NtStatus.NotifyCleanup);
        if (open.Vfs is not { } vfs || open.NodeState is not { } state)
            return;
        if (open.HasShareReservation)
            vfs.Locks.CloseShare(open.Node, open.VolatileId);
        try
        {
            vfs.Locks.ReleaseOwner(open.Owner);
        }
        catch (Exception e)
        {
            server.Options.Log($"smb: releasing locks of a closed open failed: {e.Message}");
        }
        if (open.DeleteOnClose)
            state.SetDeletePending(true);
        if (server.NodeOpens.Release(state) && state.DeletePending)
            DeleteNow(server, open, vfs);
    }

    private static void DeleteNow(SmbServer server, SmbOpen open, IVfs vfs)
    {
        // The name may have changed hands since: only remove it if it still names our node.
        var found = vfs.Lookup(open.Session.Principal, open.Parent, open.Name);
        if (!found.IsOk || found.Value.Node != open.Node)
            return;
        var status = open.IsDirectory
            ? vfs.Rmdir(open.Session.Principal, open.Parent, open.Name).Status
            : vfs.Remove(open.Session.Principal, open.Parent, open.Name).Status;
        if (status != VfsStatus.Ok)
            server.Options.Log($"smb: delete on close of '{open.Path}' failed: {status}");
    }
}
