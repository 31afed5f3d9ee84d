using System.Net;

namespace Gateway.Rpc.Tests;

public class DuplicateRequestCacheTests
{
    private static DrcKey Key(uint xid, ulong checksum = 1) =>
        new(IPAddress.Loopback, xid, 100003, 3, 12, checksum);

    [Fact]
    public async Task A_completed_call_is_answered_from_the_cache()
    {
        var cache = new DuplicateRequestCache();
        Assert.Equal(DrcStatus.New, cache.Begin(Key(1), out DrcEntry first));
        cache.Complete(first, [1, 2, 3]);

        Assert.Equal(DrcStatus.Completed, cache.Begin(Key(1), out DrcEntry again));
        Assert.Equal(new byte[] { 1, 2, 3 }, await cache.WaitAsync(again, CancellationToken.None));
    }

    [Fact]
    public async Task A_retransmission_in_progress_waits_for_the_first_reply()
    {
        var cache = new DuplicateRequestCache();
        cache.Begin(Key(1), out DrcEntry first);
        Assert.Equal(DrcStatus.InProgress, cache.Begin(Key(1), out DrcEntry again));
        Task<byte[]?> waiting = cache.WaitAsync(again, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        cache.Complete(first, [9]);

        Assert.Equal(new byte[] { 9 }, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_abandoned_call_releases_its_waiters_with_nothing_and_runs_again_next_time()
    {
        var cache = new DuplicateRequestCache();
        cache.Begin(Key(1), out DrcEntry first);
        cache.Begin(Key(1), out DrcEntry again);
        Task<byte[]?> waiting = cache.WaitAsync(again, CancellationToken.None);

        cache.Abandon(first);

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(DrcStatus.New, cache.Begin(Key(1), out _));
    }

    [Fact]
    public void Different_arguments_with_the_same_xid_are_different_calls()
    {
        var cache = new DuplicateRequestCache();
        cache.Begin(Key(1, checksum: 1), out DrcEntry e);
        cache.Complete(e, [1]);
        Assert.Equal(DrcStatus.New, cache.Begin(Key(1, checksum: 2), out _));
    }

    [Fact]
    public void The_oldest_entries_go_first_when_the_count_is_exceeded()
    {
        var cache = new DuplicateRequestCache(maxEntries: 2);
        for (uint xid = 1; xid <= 3; xid++)
        {
            cache.Begin(Key(xid), out DrcEntry e);
            cache.Complete(e, [(byte)xid]);
        }

        Assert.Equal(2, cache.Count);
        Assert.Equal(DrcStatus.Completed, cache.Begin(Key(3), out _));
        Assert.Equal(DrcStatus.Completed, cache.Begin(Key(2), out _));
        Assert.Equal(DrcStatus.New, cache.Begin(Key(1), out _));
    }

    [Fact]
    public void Entries_older_than_the_maximum_age_are_forgotten()
    {
        var time = new ManualTime();
        var cache = new DuplicateRequestCache(maxAge: TimeSpan.FromSeconds(120), timeProvider: time);
        cache.Begin(Key(1), out DrcEntry e);
        cache.Complete(e, [1]);

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(DrcStatus.Completed, cache.Begin(Key(1), out _));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(DrcStatus.New, cache.Begin(Key(1), out _));
    }

    [Fact]
    public void Reply_bytes_are_bounded_too()
    {
        var cache = new DuplicateRequestCache(maxBytes: 10);
        cache.Begin(Key(1), out DrcEntry a);
        cache.Complete(a, new byte[8]);
        cache.Begin(Key(2), out DrcEntry b);
        cache.Complete(b, new byte[8]);

        Assert.Equal(1, cache.Count);
        Assert.Equal(DrcStatus.Completed, cache.Begin(Key(2), out _));
    }

    [Fact]
    public void The_checksum_covers_every_byte_of_the_prefix_and_the_length()
    {
        byte[] data = new byte[1001];
        ulong baseline = DuplicateRequestCache.Checksum(data);
        Assert.Equal(baseline, DuplicateRequestCache.Checksum(data.ToArray()));
        for (int i = 0; i < DuplicateRequestCache.ChecksumPrefix; i += 7)
        {
            data[i] = 1;
            Assert.NotEqual(baseline, DuplicateRequestCache.Checksum(data));
            data[i] = 0;
        }

        Assert.NotEqual(baseline, DuplicateRequestCache.Checksum(data.AsSpan(0, 1000)));

        // Past the prefix only the length counts: a 1 MiB WRITE is not hashed on every call.
        data[DuplicateRequestCache.ChecksumPrefix + 10] = 1;
        Assert.Equal(baseline, DuplicateRequestCache.Checksum(data));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
