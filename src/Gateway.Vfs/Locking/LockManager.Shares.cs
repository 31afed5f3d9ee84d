namespace Gateway.Vfs.Locking;

public sealed partial class LockManager
{
    /// <summary>
    /// Records an open's share reservation: <see cref="VfsStatus.ShareConflict"/> when it clashes
    /// with any open on the node (same owner included), <see cref="VfsStatus.Invalid"/> when
    /// <paramref name="openId"/> is already open here or the bits are not Read/Write/Delete.
    /// </summary>
    public VfsStatus OpenShare(NodeId node, ulong openId, LockOwner owner, ShareAccess access, ShareAccess deny)
    {
        if (!ShareReservations.IsValid(access) || !ShareReservations.IsValid(deny))
            return VfsStatus.Invalid;
        var state = EnterLive(node);
        try
        {
            var shares = state.Shares;
            if (ShareReservations.IndexOf(shares, openId) >= 0)
                return VfsStatus.Invalid;
            if (ShareReservations.FindConflict(shares, access, deny) is not null)
                return VfsStatus.ShareConflict;
            CommitShares(state, CopyOnWrite.Append(shares, new ShareRecord(node, openId, owner, access, deny)));
            return VfsStatus.Ok;
        }
        finally
        {
            Exit(state);
        }
    }

    /// <summary>Drops one open's reservation; closing an unknown open is not an error.</summary>
    public void CloseShare(NodeId node, ulong openId)
    {
        if (!_nodes.ContainsKey(node))
            return;
        var state = EnterLive(node);
        try
        {
            var shares = state.Shares;
            var index = ShareReservations.IndexOf(shares, openId);
            if (index >= 0)
                CommitShares(state, CopyOnWrite.RemoveAt(shares, index));
        }
        finally
        {
            Exit(state);
        }
    }

    public IReadOnlyList<ShareRecord> GetShares(NodeId node) =>
        _nodes.TryGetValue(node, out var state) && state.Shares is { Length: > 0 } shares ? Array.AsReadOnly(shares) : [];
}
