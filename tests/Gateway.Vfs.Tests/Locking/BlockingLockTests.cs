using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class BlockingLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly LockOwner A = Nlm(1);
    private static readonly LockOwner B = Nlm(2);
    private static readonly LockOwner C = Nlm(3);
    private static readonly ByteRange Range = new(0, 100);

    [Fact]
    public async Task LockAsync_on_a_free_range_completes_at_once()
    {
        var m = NewManager();

        var pending = m.LockAsync(TestNode, A, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None);

        Assert.True(pending.IsCompleted);
        Assert.True((await pending).Granted);
    }

    [Fact]
    public async Task LockAsync_waits_until_the_holder_unlocks()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);

        var pending = m.LockAsync(TestNode, B, Range, LockKind.Shared, LockFlavor.Posix, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        Assert.Empty(LocksOf(m, B));

        m.Unlock(TestNode, A, Range, LockFlavor.Posix);

        Assert.True((await pending.WaitAsync(Patience)).Granted);
        Assert.Equal([(0UL, 100UL, LockKind.Shared)], LocksOf(m, B));
    }

    [Fact]
    public async Task Waiter_stays_queued_while_the_unlock_leaves_its_range_held()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, B, new ByteRange(90, 10), LockKind.Shared, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.Unlock(TestNode, A, new ByteRange(0, 50), LockFlavor.Posix);
        Assert.False(pending.IsCompleted);

        m.Unlock(TestNode, A, new ByteRange(50, 50), LockFlavor.Posix);
        Assert.True((await pending.WaitAsync(Patience)).Granted);
    }

    [Fact]
    public async Task Waiters_are_granted_in_fifo_order()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        var first = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();
        var second = m.LockAsync(TestNode, C, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.ReleaseOwner(A);

        Assert.True((await first.WaitAsync(Patience)).Granted);
        Assert.False(second.IsCompleted);

        m.ReleaseOwner(B);

        Assert.True((await second.WaitAsync(Patience)).Granted);
        Assert.Equal(C, Assert.Single(m.GetLocks(TestNode)).Owner);
    }

    [Fact]
    public async Task Later_waiter_is_not_held_behind_an_earlier_one_that_is_still_blocked()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Exclusive);
        m.Posix(A, 50, 10, LockKind.Exclusive);
        var blocked = m.LockAsync(TestNode, B, new ByteRange(0, 10), LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();
        var freed = m.LockAsync(TestNode, C, new ByteRange(50, 10), LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.Unlock(TestNode, A, new ByteRange(50, 10), LockFlavor.Posix);

        Assert.True((await freed.WaitAsync(Patience)).Granted);
        Assert.False(blocked.IsCompleted);
    }

    [Fact]
    public async Task Windows_waiter_is_granted_after_exact_unlock()
    {
        var m = NewManager();
        m.Windows(Smb(1), 0, 10, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, Smb(2), new ByteRange(5, 10), LockKind.Exclusive, LockFlavor.Windows, CancellationToken.None).AsTask();

        Assert.Equal(VfsStatus.NotFound, m.Unlock(TestNode, Smb(1), new ByteRange(0, 5), LockFlavor.Windows));
        Assert.False(pending.IsCompleted);
        m.Unlock(TestNode, Smb(1), new ByteRange(0, 10), LockFlavor.Windows);

        Assert.True((await pending.WaitAsync(Patience)).Granted);
    }

    [Fact]
    public async Task Waiter_is_granted_after_ReleaseClient_of_the_holder()
    {
        var m = NewManager();
        m.Posix(Nlm(1, host: 10), 0, 10, LockKind.Exclusive);
        m.Posix(Nlm(2, host: 10), 20, 10, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, Nlm(1, host: 11), new ByteRange(0, 30), LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.ReleaseClient(LockProtocol.Nlm, new ClientKey(10));

        Assert.True((await pending.WaitAsync(Patience)).Granted);
    }

    [Fact]
    public async Task Waiter_is_granted_after_ReleaseNode()
    {
        var m = NewManager();
        m.Posix(A, 0, 0, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.ReleaseNode(TestNode);

        Assert.True((await pending.WaitAsync(Patience)).Granted);
        Assert.Equal(B, Assert.Single(m.GetLocks(TestNode)).Owner);
    }

    [Fact]
    public async Task Cancelled_waiter_is_removed_and_granted_nothing()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        using var cts = new CancellationTokenSource();
        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Patience));
        m.Unlock(TestNode, A, Range, LockFlavor.Posix);

        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public async Task Already_cancelled_token_grants_nothing_even_on_a_free_range()
    {
        var m = NewManager();

        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public async Task Cancelling_after_the_grant_leaves_the_lock_held()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        using var cts = new CancellationTokenSource();
        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, cts.Token).AsTask();
        m.Unlock(TestNode, A, Range, LockFlavor.Posix);
        Assert.True((await pending.WaitAsync(Patience)).Granted);

        await cts.CancelAsync();

        Assert.Equal(B, Assert.Single(m.GetLocks(TestNode)).Owner);
    }

    [Fact]
    public async Task ReleaseOwner_withdraws_that_owners_pending_requests()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();

        m.ReleaseOwner(B);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Patience));
        m.ReleaseOwner(A);

        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public async Task Malformed_blocking_request_fails_at_once()
    {
        var m = NewManager();

        var result = await m.LockAsync(TestNode, Smb(1), new ByteRange(ulong.MaxValue, 2), LockKind.Shared, LockFlavor.Windows, CancellationToken.None);

        Assert.Equal(VfsStatus.Invalid, result.Status);
    }

    [Fact]
    public async Task Store_failure_while_granting_a_waiter_fails_only_that_waiter()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 100, LockKind.Exclusive);
        var pending = m.LockAsync(TestNode, B, Range, LockKind.Exclusive, LockFlavor.Posix, CancellationToken.None).AsTask();
        var unlocked = false;
        store.OnReplaceLocks = (_, locks) =>
        {
            // Let the unlock through, then fail the waiter's grant.
            store.FailWrites = unlocked;
            unlocked = true;
        };

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, A, Range, LockFlavor.Posix));

        await Assert.ThrowsAsync<IOException>(() => pending.WaitAsync(Patience));
        Assert.Empty(m.GetLocks(TestNode));
        Assert.Empty(store.StoredLocks(TestNode));
    }
}
