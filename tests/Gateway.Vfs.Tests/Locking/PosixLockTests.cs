using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class PosixLockTests
{
    private const ulong Max = ulong.MaxValue;
    private static readonly LockOwner A = Nlm(1);
    private static readonly LockOwner B = Nlm(2);

    [Fact]
    public void Posix_lock_on_free_range_is_granted()
    {
        var m = NewManager();

        var result = m.Posix(A, 0, 10, LockKind.Exclusive);

        Assert.True(result.Granted);
        Assert.Equal(VfsStatus.Ok, result.Status);
        Assert.Null(result.Conflict);
        Assert.Equal([(0UL, 10UL, LockKind.Exclusive)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_owner_never_conflicts_with_itself()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);

        Assert.True(m.Posix(A, 50, 100, LockKind.Exclusive).Granted);
        Assert.True(m.Posix(A, 10, 5, LockKind.Shared).Granted);
    }

    [Fact]
    public void Posix_exclusive_conflicts_with_other_owners_shared_and_reports_holder()
    {
        var m = NewManager();
        m.Posix(A, 10, 20, LockKind.Shared);

        var result = m.Posix(B, 25, 10, LockKind.Exclusive);

        Assert.False(result.Granted);
        Assert.Equal(VfsStatus.LockConflict, result.Status);
        Assert.Equal(new LockConflict(A, new ByteRange(10, 20), LockKind.Shared), result.Conflict);
        Assert.Empty(LocksOf(m, B));
    }

    [Fact]
    public void Posix_shared_locks_of_different_owners_coexist()
    {
        var m = NewManager();

        Assert.True(m.Posix(A, 0, 100, LockKind.Shared).Granted);
        Assert.True(m.Posix(B, 50, 100, LockKind.Shared).Granted);
    }

    [Fact]
    public void Posix_adjacent_locks_of_same_kind_merge()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Exclusive);
        m.Posix(A, 10, 10, LockKind.Exclusive);

        Assert.Equal([(0UL, 20UL, LockKind.Exclusive)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_overlapping_locks_of_same_kind_merge()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Shared);
        m.Posix(A, 20, 10, LockKind.Shared);
        m.Posix(A, 5, 20, LockKind.Shared);

        Assert.Equal([(0UL, 30UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_adjacent_locks_of_different_kind_stay_separate()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Shared);
        m.Posix(A, 10, 10, LockKind.Exclusive);

        Assert.Equal([(0UL, 10UL, LockKind.Shared), (10UL, 10UL, LockKind.Exclusive)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_unlock_of_middle_splits_the_lock()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, A, new ByteRange(40, 20), LockFlavor.Posix));

        Assert.Equal([(0UL, 40UL, LockKind.Exclusive), (60UL, 40UL, LockKind.Exclusive)], LocksOf(m, A));
        Assert.True(m.Posix(B, 40, 20, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Posix_relock_of_middle_with_other_kind_splits_into_three()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Shared);

        Assert.True(m.Posix(A, 40, 20, LockKind.Exclusive).Granted);

        Assert.Equal(
            [(0UL, 40UL, LockKind.Shared), (40UL, 20UL, LockKind.Exclusive), (60UL, 40UL, LockKind.Shared)],
            LocksOf(m, A));
    }

    [Fact]
    public void Posix_relock_of_middle_with_same_kind_changes_nothing()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Shared);

        m.Posix(A, 40, 20, LockKind.Shared);

        Assert.Equal([(0UL, 100UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_upgrade_shared_to_exclusive_succeeds_when_no_other_owner_overlaps()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Shared);
        m.Posix(B, 200, 10, LockKind.Shared);

        Assert.True(m.Posix(A, 0, 100, LockKind.Exclusive).Granted);

        Assert.Equal([(0UL, 100UL, LockKind.Exclusive)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_upgrade_refused_by_other_reader_keeps_the_shared_lock_whole()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Shared);
        m.Posix(B, 90, 20, LockKind.Shared);

        var result = m.Posix(A, 0, 100, LockKind.Exclusive);

        Assert.Equal(new LockConflict(B, new ByteRange(90, 20), LockKind.Shared), result.Conflict);
        Assert.Equal([(0UL, 100UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_downgrade_to_shared_lets_other_readers_in()
    {
        var m = NewManager();
        m.Posix(A, 0, 100, LockKind.Exclusive);
        Assert.False(m.Posix(B, 10, 10, LockKind.Shared).Granted);

        m.Posix(A, 0, 100, LockKind.Shared);

        Assert.True(m.Posix(B, 10, 10, LockKind.Shared).Granted);
        Assert.Equal([(0UL, 100UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_unlock_with_nothing_locked_is_ok()
    {
        var m = NewManager();

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, A, new ByteRange(0, 10), LockFlavor.Posix));
        m.Posix(A, 100, 10, LockKind.Shared);
        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, A, new ByteRange(0, 10), LockFlavor.Posix));
        Assert.Equal([(100UL, 10UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_unlock_does_not_touch_other_owners_locks()
    {
        var m = NewManager();
        m.Posix(B, 0, 10, LockKind.Shared);

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, A, ByteRange.WholeFile, LockFlavor.Posix));

        Assert.Single(LocksOf(m, B));
    }

    [Fact]
    public void Posix_unlock_to_eof_removes_everything_after_offset()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Shared);
        m.Posix(A, 20, 10, LockKind.Exclusive);
        m.Posix(A, 1000, 0, LockKind.Shared);

        m.Unlock(TestNode, A, ByteRange.ToEof(5), LockFlavor.Posix);

        Assert.Equal([(0UL, 5UL, LockKind.Shared)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_length_zero_means_to_end_of_file()
    {
        var m = NewManager();
        m.Posix(A, 100, 0, LockKind.Exclusive);

        Assert.False(m.Posix(B, Max - 1, 1, LockKind.Shared).Granted);
        Assert.True(m.Posix(B, 0, 100, LockKind.Shared).Granted);
    }

    [Theory]
    [InlineData(Max - 9, 10UL)]
    [InlineData(Max - 9, 500UL)]   // past 2^64: clipped to EOF, not wrapped to offset 0
    [InlineData(Max, 1UL)]
    public void Posix_range_at_ulong_max_does_not_wrap(ulong offset, ulong length)
    {
        var m = NewManager();

        Assert.True(m.Posix(A, offset, length, LockKind.Exclusive).Granted);

        Assert.True(m.Posix(B, 0, 1000, LockKind.Exclusive).Granted);
        Assert.False(m.Posix(B, Max, 1, LockKind.Shared).Granted);
        Assert.Equal([(offset, 0UL, LockKind.Exclusive)], LocksOf(m, A));
    }

    [Fact]
    public void Posix_unlock_of_last_byte_splits_a_to_eof_lock()
    {
        var m = NewManager();
        m.Posix(A, 0, 0, LockKind.Exclusive);

        m.Unlock(TestNode, A, new ByteRange(Max, 1), LockFlavor.Posix);

        Assert.Equal([(0UL, Max, LockKind.Exclusive)], LocksOf(m, A));
        Assert.True(m.Posix(B, Max, 1, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Posix_test_reports_holder_range_and_kind()
    {
        var m = NewManager();
        m.Posix(A, 50, 10, LockKind.Exclusive);
        m.Posix(A, 10, 10, LockKind.Exclusive);

        var conflict = m.Test(TestNode, B, ByteRange.WholeFile, LockKind.Shared);

        // Lowest offset first, so repeated TESTs agree.
        Assert.Equal(new LockConflict(A, new ByteRange(10, 10), LockKind.Exclusive), conflict);
        Assert.Empty(LocksOf(m, B));
    }

    [Fact]
    public void Posix_test_ignores_own_locks_and_shared_against_shared()
    {
        var m = NewManager();
        m.Posix(A, 0, 10, LockKind.Shared);

        Assert.Null(m.Test(TestNode, A, new ByteRange(0, 10), LockKind.Exclusive));
        Assert.Null(m.Test(TestNode, B, new ByteRange(0, 10), LockKind.Shared));
        Assert.Null(m.Test(OtherNode, B, new ByteRange(0, 10), LockKind.Exclusive));
    }

    [Fact]
    public void Locks_on_different_nodes_are_independent()
    {
        var m = NewManager();
        m.TryLock(TestNode, A, ByteRange.WholeFile, LockKind.Exclusive, LockFlavor.Posix);

        Assert.True(m.TryLock(OtherNode, B, ByteRange.WholeFile, LockKind.Exclusive, LockFlavor.Posix).Granted);
    }

    [Fact]
    public void Unknown_kind_or_flavor_is_invalid()
    {
        var m = NewManager();

        Assert.Equal(VfsStatus.Invalid, m.TryLock(TestNode, A, ByteRange.WholeFile, (LockKind)9, LockFlavor.Posix).Status);
        Assert.Equal(VfsStatus.Invalid, m.TryLock(TestNode, A, ByteRange.WholeFile, LockKind.Shared, (LockFlavor)9).Status);
        Assert.Equal(VfsStatus.Invalid, m.Unlock(TestNode, A, ByteRange.WholeFile, (LockFlavor)9));
        Assert.Empty(m.GetLocks(TestNode));
    }
}
