namespace Gateway.Rpc;

// One call in the duplicate request cache. State changes only under the cache's lock.
public sealed class DrcEntry
{
    internal DrcEntry(DrcKey key, long createdTimestamp)
    {
        Key = key;
        CreatedTimestamp = createdTimestamp;
    }

    public DrcKey Key { get; }

    internal long CreatedTimestamp { get; }

    // The whole reply record; null while the call runs.
    internal byte[]? Reply { get; set; }

    internal bool Abandoned { get; set; }

    // Created only when a retransmission actually waits.
    internal TaskCompletionSource<byte[]?>? Waiters { get; set; }

    // Null once evicted or abandoned.
    internal LinkedListNode<DrcEntry>? Node { get; set; }
}
