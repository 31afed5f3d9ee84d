using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Tests.Locking;

/// <summary>
/// The SQLite store's stand-in: keeps what it is given, can be told to fail, and counts writes so
/// tests can see that a no-op wrote nothing.
/// </summary>
internal sealed class InMemoryLockStore : ILockStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeId, LockRecord[]> _locks = [];
    private readonly Dictionary<NodeId, ShareRecord[]> _shares = [];
    private volatile bool _failWrites;

    /// <summary>Every Replace call throws <see cref="IOException"/> while set.</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public int LockWrites { get; private set; }

    public int ShareWrites { get; private set; }

    /// <summary>Runs at the start of every ReplaceNodeLocks, before the store changes.</summary>
    public Action<NodeId, IReadOnlyList<LockRecord>>? OnReplaceLocks { get; set; }

    public IReadOnlyList<LockRecord> LoadLocks()
    {
        lock (_gate)
            return _locks.Values.SelectMany(static l => l).ToArray();
    }

    public IReadOnlyList<ShareRecord> LoadShares()
    {
        lock (_gate)
            return _shares.Values.SelectMany(static s => s).ToArray();
    }

    public void ReplaceNodeLocks(NodeId node, IReadOnlyList<LockRecord> locks)
    {
        OnReplaceLocks?.Invoke(node, locks);
        if (_failWrites)
            throw new IOException("store unavailable");
        lock (_gate)
        {
            LockWrites++;
            if (locks.Count == 0)
                _locks.Remove(node);
            else
                _locks[node] = locks.ToArray();
        }
    }

    public void ReplaceNodeShares(NodeId node, IReadOnlyList<ShareRecord> shares)
    {
        if (_failWrites)
            throw new IOException("store unavailable");
        lock (_gate)
        {
            ShareWrites++;
            if (shares.Count == 0)
                _shares.Remove(node);
            else
                _shares[node] = shares.ToArray();
        }
    }

    public IReadOnlyList<LockRecord> StoredLocks(NodeId node)
    {
        lock (_gate)
            return _locks.TryGetValue(node, out var locks) ? locks : [];
    }

    public IReadOnlyList<ShareRecord> StoredShares(NodeId node)
    {
        lock (_gate)
            return _shares.TryGetValue(node, out var shares) ? shares : [];
    }
}
