using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Gateway.Rpc;

// Duplicate request cache for non-idempotent procedures (the problem of RFC 1813 §4.1
// and Juszczak's "Improving the Performance and Correctness of an NFS Server").
// A client that lost a reply retransmits the call with the same xid, often on a new
// connection; executing REMOVE or CREATE twice would turn success into NOENT/EXIST.
// Completed calls keep their reply bytes (whole record, mark included) so a
// retransmission is answered byte-for-byte without running the handler again; a
// retransmission of a call still running waits for the first one's reply.
// Bounded by entry count, total reply bytes and age, oldest first. One lock: the
// critical sections are a dictionary and a linked-list operation.
public sealed class DuplicateRequestCache
{
    public const int DefaultMaxEntries = 4096;
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    // Linux nfsd keeps entries for 120 s (RC_EXPIRE); a client retransmits within its
    // timeo (60 s on TCP), so that is enough to cover a reconnect and a retry.
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(120);

    private readonly object _lock = new();
    private readonly Dictionary<DrcKey, DrcEntry> _entries = [];
    private readonly LinkedList<DrcEntry> _byAge = new();
    private readonly TimeProvider _time;
    private long _bytes;

    public DuplicateRequestCache(int maxEntries = DefaultMaxEntries, TimeSpan? maxAge = null,
        long maxBytes = DefaultMaxBytes, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        MaxEntries = maxEntries;
        MaxAge = maxAge ?? DefaultMaxAge;
        MaxBytes = maxBytes;
        _time = timeProvider ?? TimeProvider.System;
    }

    public int MaxEntries { get; }

    public TimeSpan MaxAge { get; }

    public long MaxBytes { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public DrcStatus Begin(in DrcKey key, out DrcEntry entry)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            EvictLocked(now);
            if (_entries.TryGetValue(key, out DrcEntry? existing))
            {
                entry = existing;
                return existing.Reply is null ? DrcStatus.InProgress : DrcStatus.Completed;
            }

            entry = new DrcEntry(key, now);
            entry.Node = _byAge.AddLast(entry);
            _entries.Add(key, entry);
            EvictLocked(now);
            return DrcStatus.New;
        }
    }

    // Stores the reply of a call begun as New and wakes any retransmission waiting on it.
    public void Complete(DrcEntry entry, ReadOnlySpan<byte> reply)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] copy = reply.ToArray();
        TaskCompletionSource<byte[]?>? waiters;
        lock (_lock)
        {
            entry.Reply = copy;
            waiters = entry.Waiters;
            if (entry.Node is not null)
            {
                _bytes += copy.Length;
                EvictLocked(_time.GetTimestamp());
            }
        }

        waiters?.TrySetResult(copy);
    }

    // The call produced no reply (connection gone, server stopping): forget it so that a
    // retransmission executes; waiters get null and send nothing.
    public void Abandon(DrcEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TaskCompletionSource<byte[]?>? waiters;
        lock (_lock)
        {
            entry.Abandoned = true;
            if (entry.Node is not null && entry.Reply is null)
            {
                RemoveLocked(entry);
            }

            waiters = entry.Waiters;
        }

        waiters?.TrySetResult(null);
    }

    // The reply of an InProgress or Completed entry; null if the first call was abandoned.
    public Task<byte[]?> WaitAsync(DrcEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            if (entry.Reply is not null)
            {
                return Task.FromResult<byte[]?>(entry.Reply);
            }

            if (entry.Abandoned)
            {
                return Task.FromResult<byte[]?>(null);
            }

            entry.Waiters ??= new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
            return entry.Waiters.Task.WaitAsync(cancellationToken);
        }
    }

    // A fast 64-bit checksum of the whole argument body (not cryptographic: the key
    // already holds client and xid; this separates an xid reused after a client restart).
    // Like Linux nfsd, only a bounded prefix is hashed (with the full length folded in): a retransmission
    // repeats the call byte for byte, and hashing a whole 1 MiB WRITE on every call would cost more than
    // the cache saves. xid + program + procedure + length + prefix already tell calls apart.
    public const int ChecksumPrefix = 256;

    public static ulong Checksum(ReadOnlySpan<byte> data)
    {
        const ulong Prime = 0x9E37_79B9_7F4A_7C15;
        ulong hash = 0xCBF2_9CE4_8422_2325 ^ (ulong)data.Length;
        data = data[..Math.Min(data.Length, ChecksumPrefix)];
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words)
        {
            hash = BitOperations.RotateLeft((hash ^ word) * Prime, 29);
        }

        ReadOnlySpan<byte> tail = data.Slice(words.Length * 8);
        Span<byte> last = stackalloc byte[8];
        last.Clear();
        tail.CopyTo(last);
        hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(last)) * Prime, 29);
        return hash ^ (hash >> 32);
    }

    private void EvictLocked(long now)
    {
        while (_byAge.First is { } oldest)
        {
            DrcEntry entry = oldest.Value;
            bool tooMany = _entries.Count > MaxEntries;
            bool tooBig = _bytes > MaxBytes;
            bool tooOld = _time.GetElapsedTime(entry.CreatedTimestamp, now) > MaxAge;
            if (!tooMany && !tooBig && !tooOld)
            {
                return;
            }

            RemoveLocked(entry);
        }
    }

    private void RemoveLocked(DrcEntry entry)
    {
        _byAge.Remove(entry.Node!);
        entry.Node = null;
        _entries.Remove(entry.Key);
        if (entry.Reply is not null)
        {
            _bytes -= entry.Reply.Length;
        }
    }
}
