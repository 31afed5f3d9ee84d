using System.Collections.Concurrent;

namespace Gateway.Vfs.Locking;

/// <summary>
/// The one owner of byte-range locks (POSIX for NLM, NFSv4 and FUSE; Windows for SMB) and share
/// reservations (SMB and NFSv4 OPEN) for every protocol, so that each protocol's clients see the
/// others' locks. State lives per node behind that node's own gate; every change is written to the
/// <see cref="ILockStore"/> before it is granted or visible, and is loaded back on construction.
/// </summary>
public sealed partial class LockManager
{
    private readonly ILockStore _store;
    private readonly ConcurrentDictionary<NodeId, NodeLockState> _nodes = new();

    public LockManager(ILockStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        Load(store.LoadLocks(), store.LoadShares());
    }

    /// <summary>
    /// Grants the lock now or reports the holder in the way. POSIX requests replace, merge with and
    /// split the owner's own locks; Windows requests add one more stacked lock.
    /// <see cref="VfsStatus.Invalid"/> for a Windows range past byte 2^64 - 1 or an unknown kind/flavor.
    /// Queued <see cref="LockAsync"/> waiters do not hold a request back (as with fcntl).
    /// </summary>
    public LockResult TryLock(NodeId node, LockOwner owner, ByteRange range, LockKind kind, LockFlavor flavor)
    {
        if (!IsValidRequest(range, kind, flavor))
            return LockResult.Failed(VfsStatus.Invalid);
        var state = EnterLive(node);
        try
        {
            return TryGrantLocked(state, owner, range, kind, flavor);
        }
        finally
        {
            Exit(state);
        }
    }

    /// <summary>NLM TEST, NFSv4 LOCKT, FUSE getlk: would a POSIX lock be refused, and by whom.</summary>
    public LockConflict? Test(NodeId node, LockOwner owner, ByteRange range, LockKind kind) =>
        Test(node, owner, range, kind, LockFlavor.Posix);

    public LockConflict? Test(NodeId node, LockOwner owner, ByteRange range, LockKind kind, LockFlavor flavor)
    {
        if (!IsKnown(kind) || !IsKnown(flavor))
            throw new ArgumentOutOfRangeException(nameof(kind), $"{kind}/{flavor}");
        if (!_nodes.TryGetValue(node, out var state))
            return null;
        var holder = LockCompatibility.FindConflict(state.Locks, owner, LockExtent.Of(range, flavor), kind, flavor);
        return holder is null ? null : LockCompatibility.ToConflict(holder);
    }

    /// <summary>
    /// POSIX: removes the owner's locks from the range, splitting as needed; nothing locked there is
    /// still <see cref="VfsStatus.Ok"/>. Windows: removes one lock of exactly this offset and length,
    /// else <see cref="VfsStatus.NotFound"/> (STATUS_RANGE_NOT_LOCKED). Waiters are retried after.
    /// </summary>
    public VfsStatus Unlock(NodeId node, LockOwner owner, ByteRange range, LockFlavor flavor)
    {
        if (!IsKnown(flavor) || (flavor == LockFlavor.Windows && !WindowsLockRules.IsValidRange(range)))
            return VfsStatus.Invalid;
        if (!_nodes.ContainsKey(node))
            return flavor == LockFlavor.Posix ? VfsStatus.Ok : VfsStatus.NotFound;
        var state = EnterLive(node);
        try
        {
            var locks = state.Locks;
            LockRecord[] next;
            if (flavor == LockFlavor.Posix)
            {
                next = PosixLockSet.Apply(locks, node, owner, range.Offset, range.Last, null);
            }
            else
            {
                var target = WindowsLockRules.FindUnlockTarget(locks, owner, range);
                if (target < 0)
                    return VfsStatus.NotFound;
                next = CopyOnWrite.RemoveAt(locks, target);
            }
            if (CommitLocks(state, next))
                GrantWaitersLocked(state);
            return VfsStatus.Ok;
        }
        finally
        {
            Exit(state);
        }
    }

    public IReadOnlyList<LockRecord> GetLocks(NodeId node) =>
        _nodes.TryGetValue(node, out var state) && state.Locks is { Length: > 0 } locks ? Array.AsReadOnly(locks) : [];

    /// <summary>
    /// For SMB and NFSv4 READ/WRITE: the Windows lock of another owner that forbids this I/O, if any.
    /// <paramref name="range"/> is the I/O's offset and byte count, read literally (0 bytes touch
    /// nothing). POSIX locks are advisory and never returned. Reads a snapshot without locking.
    /// </summary>
    public LockConflict? CheckIo(NodeId node, LockOwner? owner, ByteRange range, bool write)
    {
        if (range.Length == 0 || !_nodes.TryGetValue(node, out var state))
            return null;
        var holder = LockCompatibility.FindIoConflict(state.Locks, owner, LockExtent.Literal(range), write);
        return holder is null ? null : LockCompatibility.ToConflict(holder);
    }

    private LockResult TryGrantLocked(NodeLockState state, LockOwner owner, ByteRange range, LockKind kind, LockFlavor flavor)
    {
        var locks = state.Locks;
        var extent = LockExtent.Of(range, flavor);
        var holder = LockCompatibility.FindConflict(locks, owner, extent, kind, flavor);
        if (holder is not null)
            return LockResult.Denied(LockCompatibility.ToConflict(holder));
        var next = flavor == LockFlavor.Posix
            ? PosixLockSet.Apply(locks, state.Node, owner, extent.First, extent.Last, kind)
            : CopyOnWrite.Append(locks, new LockRecord(state.Node, owner, range, kind, flavor));
        CommitLocks(state, next);
        return LockResult.Success;
    }

    /// <summary>Persists, then publishes. False when nothing changed (and nothing was written).</summary>
    private bool CommitLocks(NodeLockState state, LockRecord[] next)
    {
        if (CopyOnWrite.SameItems(state.Locks, next))
            return false;
        // Store first: if it throws, memory still matches what the store holds.
        _store.ReplaceNodeLocks(state.Node, next);
        state.Locks = next;
        return true;
    }

    private bool CommitShares(NodeLockState state, ShareRecord[] next)
    {
        if (CopyOnWrite.SameItems(state.Shares, next))
            return false;
        _store.ReplaceNodeShares(state.Node, next);
        state.Shares = next;
        return true;
    }

    /// <summary>The node's state with its gate held; a retired state is skipped for a fresh one.</summary>
    private NodeLockState EnterLive(NodeId node)
    {
        while (true)
        {
            var state = _nodes.GetOrAdd(node, static id => new NodeLockState(id));
            state.Gate.Enter();
            if (!state.IsRetired)
                return state;
            state.Gate.Exit();
        }
    }

    /// <summary>Releases the gate, first dropping the state from the table if it holds nothing.</summary>
    private void Exit(NodeLockState state)
    {
        if (!state.IsRetired && state.IsIdle)
        {
            state.IsRetired = true;
            _nodes.TryRemove(new KeyValuePair<NodeId, NodeLockState>(state.Node, state));
        }
        state.Gate.Exit();
    }

    private void Load(IReadOnlyList<LockRecord> locks, IReadOnlyList<ShareRecord> shares)
    {
        var lockLists = new Dictionary<NodeId, List<LockRecord>>();
        foreach (var held in locks)
        {
            if (!lockLists.TryGetValue(held.Node, out var list))
                lockLists[held.Node] = list = [];
            list.Add(held);
        }
        var shareLists = new Dictionary<NodeId, List<ShareRecord>>();
        foreach (var share in shares)
        {
            if (!shareLists.TryGetValue(share.Node, out var list))
                shareLists[share.Node] = list = [];
            list.Add(share);
        }
        foreach (var (node, list) in lockLists)
            _nodes.GetOrAdd(node, static id => new NodeLockState(id)).Locks = list.ToArray();
        foreach (var (node, list) in shareLists)
            _nodes.GetOrAdd(node, static id => new NodeLockState(id)).Shares = list.ToArray();
    }

    private static bool IsValidRequest(ByteRange range, LockKind kind, LockFlavor flavor) =>
        IsKnown(kind) && IsKnown(flavor) && (flavor == LockFlavor.Posix || WindowsLockRules.IsValidRange(range));

    private static bool IsKnown(LockKind kind) => kind is LockKind.Shared or LockKind.Exclusive;

    private static bool IsKnown(LockFlavor flavor) => flavor is LockFlavor.Posix or LockFlavor.Windows;
}
