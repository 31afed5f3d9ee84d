using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class LockConcurrencyTests
{
    private const int Workers = 8;
    private const int Rounds = 200;

    [Theory]
    [InlineData(LockFlavor.Posix)]
    [InlineData(LockFlavor.Windows)]
    public async Task Exclusive_lock_never_has_two_holders_at_once(LockFlavor flavor)
    {
        var m = NewManager();
        var range = new ByteRange(0, 4096);
        var holders = 0;
        var maxHolders = 0;
        var grants = 0;

        async Task Work(int worker)
        {
            var owner = new LockOwner(flavor == LockFlavor.Windows ? LockProtocol.Smb : LockProtocol.Nlm, new ClientKey((ulong)worker), 1);
            for (var i = 0; i < Rounds; i++)
            {
                var result = await m.LockAsync(TestNode, owner, range, LockKind.Exclusive, flavor, CancellationToken.None);
                Assert.True(result.Granted);
                var now = Interlocked.Increment(ref holders);
                InterlockedMax(ref maxHolders, now);
                Interlocked.Increment(ref grants);
                // Hold the lock across a real scheduling gap so an overlap would be seen.
                if (i % 4 == 0)
                    await Task.Yield();
                else
                    Thread.SpinWait(100);
                Interlocked.Decrement(ref holders);
                Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, owner, range, flavor));
            }
        }

        var tasks = new Task[Workers];
        for (var w = 0; w < Workers; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(() => Work(worker));
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, maxHolders);
        Assert.Equal(Workers * Rounds, grants);
        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public async Task Independent_nodes_lock_in_parallel_without_losing_records()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);

        var tasks = new Task[Workers];
        for (var w = 0; w < Workers; w++)
        {
            var node = new NodeId(1000 + (ulong)w);
            var owner = Nlm((ulong)w);
            tasks[w] = Task.Run(() =>
            {
                for (var i = 0; i < Rounds; i++)
                {
                    Assert.True(m.TryLock(node, owner, new ByteRange((ulong)i * 10, 5), LockKind.Shared, LockFlavor.Posix).Granted);
                    if (i % 3 == 0)
                        m.ReleaseOwner(Nlm(99));   // sweeps every node concurrently, finds nothing
                }
            });
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));

        for (var w = 0; w < Workers; w++)
        {
            var node = new NodeId(1000 + (ulong)w);
            Assert.Equal(Rounds, m.GetLocks(node).Count);
            Assert.Equal(Rounds, store.StoredLocks(node).Count);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }
}
