using System.Runtime.ExceptionServices;

namespace Gateway.Vfs.Locking;

public sealed partial class LockManager
{
    /// <summary>
    /// Drops every lock and share of <paramref name="owner"/> on every node (SMB close, NFSv4
    /// RELEASE_LOCKOWNER/CLOSE, FUSE release) and withdraws its queued requests.
    /// </summary>
    public void ReleaseOwner(LockOwner owner) => Release(OwnerFilter.Exactly(owner));

    /// <summary>Same for every owner of one client: NLM FREE_ALL, SMB logoff, NFSv4 lease expiry.</summary>
    public void ReleaseClient(LockProtocol protocol, ClientKey client) => Release(OwnerFilter.Client(protocol, client));

    /// <summary>
    /// The file is gone: drops all its locks and shares, then retries its waiters, which may now be
    /// granted on the removed node (their adapters decide what that means for the client).
    /// </summary>
    public void ReleaseNode(NodeId node)
    {
        if (!_nodes.ContainsKey(node))
            return;
        var state = EnterLive(node);
        try
        {
            var locksChanged = CommitLocks(state, []);
            try
            {
                CommitShares(state, []);
            }
            finally
            {
                if (locksChanged)
                    GrantWaitersLocked(state);
            }
        }
        finally
        {
            Exit(state);
        }
    }

    /// <summary>
    /// Sweeps every node, one gate at a time, never all at once. Not atomic across nodes: a store
    /// failure on one node leaves that node as it was, the sweep goes on, and the failures are
    /// thrown at the end. Calling again finishes the job.
    /// </summary>
    private void Release(OwnerFilter filter)
    {
        List<Exception>? failures = null;
        foreach (var pair in _nodes)
        {
            var state = pair.Value;
            state.Gate.Enter();
            try
            {
                if (!state.IsRetired)
                    ReleaseLocked(state, filter);
            }
            catch (Exception e)
            {
                (failures ??= []).Add(e);
            }
            finally
            {
                Exit(state);
            }
        }
        if (failures is [var only])
            ExceptionDispatchInfo.Throw(only);
        if (failures is not null)
            throw new AggregateException(failures);
    }

    private void ReleaseLocked(NodeLockState state, OwnerFilter filter)
    {
        // A departing owner's pending requests are withdrawn first so none is granted to nobody.
        CancelWaitersLocked(state, filter);
        var locksChanged = CommitLocks(state, filter.Without(state.Locks));
        try
        {
            CommitShares(state, filter.Without(state.Shares));
        }
        finally
        {
            if (locksChanged)
                GrantWaitersLocked(state);
        }
    }
}
