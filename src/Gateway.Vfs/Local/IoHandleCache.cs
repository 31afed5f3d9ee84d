using System.Collections.Concurrent;

namespace Gateway.Vfs.Local;

/// <summary>
/// Bounds the data-I/O descriptors cached on nodes. NFSv3 and SMB's by-node reads and writes have no
/// close that would free them, so without a bound a client touching many files (smbtorture's maxfid,
/// a tree copy) would hold one descriptor per file until the process runs out. Second-chance (CLOCK)
/// eviction over the order descriptors were adopted: a node used since its last pass stays.
/// </summary>
internal sealed class IoHandleCache(int capacity)
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentQueue<NodeRecord> _queue = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Adopted(NodeRecord rec)
    {
        if (Interlocked.Exchange(ref rec.IoQueued, 1) == 1) return;
        _queue.Enqueue(rec);
        if (Interlocked.Increment(ref _count) > capacity) EvictOne();
    }

    private void EvictOne()
    {
        // Each queued node gets at most one second chance per call, so this ends.
        for (var i = 0; i <= 2 * capacity && _queue.TryDequeue(out var rec); i++)
        {
            if (rec.IoReferenced && Volatile.Read(ref rec.IoFd) is not null)
            {
                rec.IoReferenced = false;
                _queue.Enqueue(rec);
                continue;
            }
            Volatile.Write(ref rec.IoQueued, 0);
            Interlocked.Decrement(ref _count);
            // A lease in flight keeps the descriptor open until it is released (SafeHandle reference count).
            Interlocked.Exchange(ref rec.IoFd, null)?.Dispose();
            return;
        }
    }
}
