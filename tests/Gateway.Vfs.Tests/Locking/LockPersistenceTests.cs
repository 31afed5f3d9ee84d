using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class LockPersistenceTests
{
    private static readonly LockOwner A = Nlm(1);
    private static readonly LockOwner B = Nlm(2);

    [Fact]
    public void Restart_sees_the_locks_and_shares_of_the_previous_manager()
    {
        var store = new InMemoryLockStore();
        var before = new LockManager(store);
        before.Posix(A, 0, 100, LockKind.Exclusive);
        before.Windows(Smb(1), 200, 10, LockKind.Shared);
        before.Windows(Smb(1), 200, 10, LockKind.Shared);
        before.OpenShare(TestNode, 5, Smb(1), ShareAccess.Read, ShareAccess.Write);
        before.TryLock(OtherNode, B, ByteRange.WholeFile, LockKind.Shared, LockFlavor.Posix);

        var after = new LockManager(store);

        Assert.Equal(before.GetLocks(TestNode), after.GetLocks(TestNode));
        Assert.Equal(before.GetLocks(OtherNode), after.GetLocks(OtherNode));
        Assert.Equal(before.GetShares(TestNode), after.GetShares(TestNode));
        Assert.Equal(A, after.Test(TestNode, B, new ByteRange(50, 1), LockKind.Shared)?.Holder);
        Assert.Equal(VfsStatus.ShareConflict, after.OpenShare(TestNode, 6, Smb(2), ShareAccess.Write, ShareAccess.None));
        Assert.Equal(VfsStatus.Invalid, after.OpenShare(TestNode, 5, Smb(2), ShareAccess.Read, ShareAccess.None));
    }

    [Fact]
    public void Restart_keeps_windows_stacking_and_exact_unlock()
    {
        var store = new InMemoryLockStore();
        new LockManager(store).Windows(Smb(1), 0, 10, LockKind.Shared);

        var after = new LockManager(store);

        Assert.Equal(VfsStatus.NotFound, after.Unlock(TestNode, Smb(1), new ByteRange(0, 5), LockFlavor.Windows));
        Assert.Equal(VfsStatus.Ok, after.Unlock(TestNode, Smb(1), new ByteRange(0, 10), LockFlavor.Windows));
        Assert.Empty(store.StoredLocks(TestNode));
    }

    [Fact]
    public void Store_holds_a_change_before_it_is_visible()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        IReadOnlyList<LockRecord>? visibleDuringWrite = null;
        store.OnReplaceLocks = (node, _) => visibleDuringWrite = m.GetLocks(node);

        m.Posix(A, 0, 10, LockKind.Exclusive);

        Assert.NotNull(visibleDuringWrite);
        Assert.Empty(visibleDuringWrite);
        Assert.Single(store.StoredLocks(TestNode));
        Assert.Equal(store.StoredLocks(TestNode), m.GetLocks(TestNode));
    }

    [Fact]
    public void Store_failure_on_lock_grants_nothing_and_surfaces()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 100, LockKind.Shared);
        store.FailWrites = true;

        Assert.Throws<IOException>(() => m.Posix(A, 50, 100, LockKind.Exclusive));
        Assert.Throws<IOException>(() => m.Windows(Smb(1), 500, 1, LockKind.Exclusive));

        Assert.Equal([(0UL, 100UL, LockKind.Shared)], LocksOf(m, A));
        Assert.Single(m.GetLocks(TestNode));
        store.FailWrites = false;
        Assert.True(m.Posix(B, 200, 10, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Store_failure_on_unlock_keeps_the_lock_held()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 100, LockKind.Exclusive);
        m.Windows(Smb(1), 200, 10, LockKind.Exclusive);
        store.FailWrites = true;

        Assert.Throws<IOException>(() => m.Unlock(TestNode, A, new ByteRange(40, 20), LockFlavor.Posix));
        Assert.Throws<IOException>(() => m.Unlock(TestNode, Smb(1), new ByteRange(200, 10), LockFlavor.Windows));

        Assert.Equal([(0UL, 100UL, LockKind.Exclusive)], LocksOf(m, A));
        Assert.False(m.Posix(B, 45, 1, LockKind.Shared).Granted);
        Assert.NotNull(m.CheckIo(TestNode, null, new ByteRange(205, 1), write: false));
    }

    [Fact]
    public void Store_failure_on_open_share_records_no_share()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        store.FailWrites = true;

        Assert.Throws<IOException>(() => m.OpenShare(TestNode, 1, A, ShareAccess.Read, ShareAccess.Write));

        Assert.Empty(m.GetShares(TestNode));
        store.FailWrites = false;
        Assert.Equal(VfsStatus.Ok, m.OpenShare(TestNode, 2, B, ShareAccess.Write, ShareAccess.None));
    }

    [Fact]
    public void Store_failure_on_close_share_keeps_the_reservation()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.OpenShare(TestNode, 1, A, ShareAccess.Read, ShareAccess.Write);
        store.FailWrites = true;

        Assert.Throws<IOException>(() => m.CloseShare(TestNode, 1));

        Assert.Single(m.GetShares(TestNode));
    }

    [Fact]
    public void Store_failure_on_release_surfaces_and_keeps_memory_equal_to_the_store()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 10, LockKind.Exclusive);
        m.OpenShare(TestNode, 1, A, ShareAccess.Read, ShareAccess.None);
        m.TryLock(OtherNode, A, ByteRange.WholeFile, LockKind.Exclusive, LockFlavor.Posix);
        store.FailWrites = true;

        Assert.ThrowsAny<Exception>(() => m.ReleaseOwner(A));
        Assert.ThrowsAny<Exception>(() => m.ReleaseNode(TestNode));

        Assert.Equal(store.StoredLocks(TestNode), m.GetLocks(TestNode));
        Assert.Equal(store.StoredLocks(OtherNode), m.GetLocks(OtherNode));
        Assert.Equal(store.StoredShares(TestNode), m.GetShares(TestNode));
        Assert.Single(m.GetLocks(TestNode));

        store.FailWrites = false;
        m.ReleaseOwner(A);
        Assert.Empty(m.GetLocks(TestNode));
        Assert.Empty(m.GetLocks(OtherNode));
        Assert.Empty(store.StoredShares(TestNode));
    }

    [Fact]
    public void Changes_that_change_nothing_write_nothing()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 100, LockKind.Shared);
        var writes = store.LockWrites;

        m.Unlock(TestNode, A, new ByteRange(500, 10), LockFlavor.Posix);
        m.Unlock(TestNode, B, ByteRange.WholeFile, LockFlavor.Posix);
        m.Posix(A, 10, 10, LockKind.Shared);
        m.ReleaseOwner(B);

        Assert.Equal(writes, store.LockWrites);
    }

    [Fact]
    public void Posix_records_are_persisted_normalized()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 10, LockKind.Shared);
        m.Posix(A, 10, ulong.MaxValue - 9, LockKind.Shared);

        var stored = Assert.Single(store.StoredLocks(TestNode));
        Assert.Equal(new LockRecord(TestNode, A, ByteRange.WholeFile, LockKind.Shared, LockFlavor.Posix), stored);
    }

    [Fact]
    public void Released_nodes_leave_nothing_in_the_store()
    {
        var store = new InMemoryLockStore();
        var m = new LockManager(store);
        m.Posix(A, 0, 10, LockKind.Shared);
        m.OpenShare(TestNode, 1, A, ShareAccess.Read, ShareAccess.None);

        m.ReleaseNode(TestNode);

        Assert.Empty(store.StoredLocks(TestNode));
        Assert.Empty(store.StoredShares(TestNode));
        Assert.Empty(new LockManager(store).GetLocks(TestNode));
    }
}
