using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class WindowsLockTests
{
    private const ulong Max = ulong.MaxValue;
    private static readonly LockOwner OpenA = Smb(1);
    private static readonly LockOwner OpenB = Smb(2);

    [Fact]
    public void Windows_locks_of_one_open_stack_and_never_merge()
    {
        var m = NewManager();

        Assert.True(m.Windows(OpenA, 0, 10, LockKind.Shared).Granted);
        Assert.True(m.Windows(OpenA, 0, 10, LockKind.Shared).Granted);
        Assert.True(m.Windows(OpenA, 10, 10, LockKind.Exclusive).Granted);
        Assert.True(m.Windows(OpenA, 20, 10, LockKind.Exclusive).Granted);

        Assert.Equal(
            [(0UL, 10UL, LockKind.Shared), (0UL, 10UL, LockKind.Shared), (10UL, 10UL, LockKind.Exclusive), (20UL, 10UL, LockKind.Exclusive)],
            LocksOf(m, OpenA));
    }

    [Fact]
    public void Windows_exclusive_conflicts_with_same_opens_shared_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        var result = m.Windows(OpenA, 5, 10, LockKind.Exclusive);

        Assert.Equal(new LockConflict(OpenA, new ByteRange(0, 10), LockKind.Shared), result.Conflict);
    }

    [Fact]
    public void Windows_exclusive_conflicts_with_same_opens_exclusive_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.False(m.Windows(OpenA, 0, 10, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Windows_shared_stacks_on_same_opens_exclusive_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.True(m.Windows(OpenA, 9, 1, LockKind.Shared).Granted);
        Assert.True(m.Windows(OpenA, 0, 10, LockKind.Shared).Granted);
        Assert.Equal(
            [(0UL, 10UL, LockKind.Exclusive), (0UL, 10UL, LockKind.Shared), (9UL, 1UL, LockKind.Shared)],
            LocksOf(m, OpenA));
    }

    [Fact]
    public void Windows_shared_stacked_on_own_exclusive_still_conflicts_with_other_opens()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.False(m.Windows(OpenB, 0, 10, LockKind.Shared).Granted);
        Assert.False(m.Windows(OpenA, 0, 10, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Windows_shared_does_not_stack_on_another_opens_exclusive_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.False(m.Windows(OpenB, 9, 1, LockKind.Shared).Granted);
    }

    [Fact]
    public void Posix_shared_does_not_stack_on_same_owners_windows_exclusive_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.False(m.Posix(OpenA, 0, 10, LockKind.Shared).Granted);
    }

    [Fact]
    public void Windows_shared_is_granted_over_other_opens_shared_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.True(m.Windows(OpenB, 0, 10, LockKind.Shared).Granted);
    }

    [Fact]
    public void Windows_shared_conflicts_with_other_opens_exclusive_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 100, 10, LockKind.Exclusive);

        var result = m.Windows(OpenB, 0, 101, LockKind.Shared);

        Assert.Equal(new LockConflict(OpenA, new ByteRange(100, 10), LockKind.Exclusive), result.Conflict);
        Assert.True(m.Windows(OpenB, 0, 100, LockKind.Shared).Granted);
    }

    [Theory]
    [InlineData(0UL, 5UL)]      // sub-range
    [InlineData(0UL, 20UL)]     // super-range
    [InlineData(5UL, 10UL)]     // same length, other offset
    public void Windows_unlock_must_match_offset_and_length_exactly(ulong offset, ulong length)
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.Equal(VfsStatus.NotFound, m.Unlock(TestNode, OpenA, new ByteRange(offset, length), LockFlavor.Windows));

        Assert.Single(LocksOf(m, OpenA));
    }

    [Fact]
    public void Windows_unlock_removes_one_of_stacked_locks()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, OpenA, new ByteRange(0, 10), LockFlavor.Windows));
        Assert.Single(LocksOf(m, OpenA));
        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, OpenA, new ByteRange(0, 10), LockFlavor.Windows));
        Assert.Empty(LocksOf(m, OpenA));
        Assert.Equal(VfsStatus.NotFound, m.Unlock(TestNode, OpenA, new ByteRange(0, 10), LockFlavor.Windows));
    }

    [Fact]
    public void Windows_unlock_by_another_open_is_not_found()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.Equal(VfsStatus.NotFound, m.Unlock(TestNode, OpenB, new ByteRange(0, 10), LockFlavor.Windows));
        Assert.Equal(VfsStatus.NotFound, m.Unlock(OtherNode, OpenA, new ByteRange(0, 10), LockFlavor.Windows));
    }

    [Fact]
    public void Windows_unlock_does_not_remove_posix_locks_of_the_same_range()
    {
        var m = NewManager();
        var nlm = Nlm(1);
        m.Posix(nlm, 0, 10, LockKind.Shared);

        Assert.Equal(VfsStatus.NotFound, m.Unlock(TestNode, nlm, new ByteRange(0, 10), LockFlavor.Windows));
        Assert.Single(LocksOf(m, nlm));
    }

    [Fact]
    public void Windows_zero_length_lock_at_offset_zero_conflicts_with_nothing()
    {
        var m = NewManager();
        m.Windows(OpenB, 0, 100, LockKind.Exclusive);
        m.Posix(Nlm(1), 200, 0, LockKind.Exclusive);

        Assert.True(m.Windows(OpenA, 0, 0, LockKind.Exclusive).Granted);

        m.ReleaseOwner(OpenB);
        m.ReleaseOwner(Nlm(1));
        Assert.True(m.Windows(OpenB, 0, 1000, LockKind.Exclusive).Granted);
        Assert.False(m.Posix(Nlm(1), 0, 0, LockKind.Shared).Granted);   // OpenB is in the way, {0, 0} is not
        Assert.Equal(OpenB, m.Test(TestNode, Nlm(1), ByteRange.WholeFile, LockKind.Shared)?.Holder);
        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(0, 50), write: true));
    }

    [Theory]
    [InlineData(100UL, 10UL)]   // starts at the zero-length lock's offset
    [InlineData(90UL, 10UL)]    // ends just before it
    [InlineData(200UL, 0UL)]    // another zero-length lock elsewhere
    [InlineData(100UL, 0UL)]    // another zero-length lock at the same offset
    public void Windows_zero_length_lock_does_not_conflict_with_ranges_that_do_not_straddle_it(ulong offset, ulong length)
    {
        var m = NewManager();
        m.Windows(OpenA, 100, 0, LockKind.Exclusive);

        Assert.True(m.Windows(OpenB, offset, length, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Windows_zero_length_lock_inside_an_exclusive_range_conflicts_as_ms_fsa_computes()
    {
        // MS-FSA 2.1.4.10: LastByteOffset = 100 + 0 - 1 = 99, so {100, 0} meets [50, 149].
        var m = NewManager();
        m.Windows(OpenA, 50, 100, LockKind.Exclusive);

        Assert.False(m.Windows(OpenB, 100, 0, LockKind.Shared).Granted);
        Assert.True(m.Windows(OpenB, 50, 0, LockKind.Shared).Granted);
    }

    [Fact]
    public void Windows_zero_length_lock_is_kept_literally_and_unlocked_by_length_zero()
    {
        var m = NewManager();
        m.Windows(OpenA, 100, 0, LockKind.Exclusive);

        Assert.Equal([(100UL, 0UL, LockKind.Exclusive)], LocksOf(m, OpenA));
        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(100, 4096), write: true));
        Assert.True(m.Posix(Nlm(1), 100, 0, LockKind.Exclusive).Granted);   // to-EOF POSIX lock starting there
        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, OpenA, new ByteRange(100, 0), LockFlavor.Windows));
    }

    [Fact]
    public void Windows_range_past_the_last_byte_is_invalid()
    {
        var m = NewManager();

        Assert.Equal(VfsStatus.Invalid, m.Windows(OpenA, Max - 9, 11, LockKind.Shared).Status);
        Assert.Equal(VfsStatus.Invalid, m.Unlock(TestNode, OpenA, new ByteRange(Max, 2), LockFlavor.Windows));
        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public void Windows_range_ending_at_the_last_byte_is_granted_and_conflicts_there()
    {
        var m = NewManager();

        Assert.True(m.Windows(OpenA, Max - 9, 10, LockKind.Exclusive).Granted);

        Assert.False(m.Windows(OpenB, Max, 1, LockKind.Shared).Granted);
        Assert.True(m.Windows(OpenB, 0, Max - 9, LockKind.Exclusive).Granted);
    }
}
