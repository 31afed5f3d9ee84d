namespace Gateway.Vfs.Locking;

/// <summary>
/// Everything the lock manager knows about one node, guarded by that node's own gate so that
/// traffic on different files never contends.
/// </summary>
/// <remarks>
/// <see cref="Locks"/> and <see cref="Shares"/> are replaced, never edited, and only under
/// <see cref="Gate"/>; readers that only need a consistent snapshot (READ/WRITE checks, TEST,
/// GetLocks) read them without the gate. A state is retired, under its gate, once it holds
/// nothing; whoever then finds it retired fetches a fresh one from the manager's table.
/// </remarks>
internal sealed class NodeLockState(NodeId node)
{
    private LockRecord[] _locks = [];
    private ShareRecord[] _shares = [];

    public NodeId Node { get; } = node;

    public Lock Gate { get; } = new();

    public LinkedList<LockWaiter> Waiters { get; } = new();

    public bool IsRetired { get; set; }

    public LockRecord[] Locks
    {
        get => Volatile.Read(ref _locks);
        set => Volatile.Write(ref _locks, value);
    }

    public ShareRecord[] Shares
    {
        get => Volatile.Read(ref _shares);
        set => Volatile.Write(ref _shares, value);
    }

    public bool IsIdle => _locks.Length == 0 && _shares.Length == 0 && Waiters.Count == 0;
}
