namespace Gateway.Vfs.Locking;

/// <summary>
/// Durable home of lock and share state (SQLite in production), so clients can reclaim after a
/// restart. <see cref="LockManager"/> writes through it before anything it changes is granted or
/// visible, and treats an exception from a Replace call as "nothing happened".
/// </summary>
/// <remarks>
/// Replace calls for different nodes may arrive concurrently from different threads; calls for one
/// node are serialized and arrive in the order the changes are made. They are made while the
/// manager holds that node's gate, so an implementation must not call back into the manager's
/// mutating methods. The lists passed in are immutable snapshots and may be kept.
/// </remarks>
public interface ILockStore
{
    IReadOnlyList<LockRecord> LoadLocks();

    IReadOnlyList<ShareRecord> LoadShares();

    /// <summary>Atomically replaces every byte-range lock of <paramref name="node"/>; empty means none.</summary>
    void ReplaceNodeLocks(NodeId node, IReadOnlyList<LockRecord> locks);

    /// <summary>Atomically replaces every share reservation of <paramref name="node"/>; empty means none.</summary>
    void ReplaceNodeShares(NodeId node, IReadOnlyList<ShareRecord> shares);
}
