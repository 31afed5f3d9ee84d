using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class IoCheckTests
{
    private static readonly LockOwner OpenA = Smb(1);
    private static readonly LockOwner OpenB = Smb(2);

    [Fact]
    public void Exclusive_windows_lock_blocks_other_owners_read_and_write()
    {
        var m = NewManager();
        m.Windows(OpenA, 100, 10, LockKind.Exclusive);

        var expected = new LockConflict(OpenA, new ByteRange(100, 10), LockKind.Exclusive);
        Assert.Equal(expected, m.CheckIo(TestNode, OpenB, new ByteRange(0, 101), write: false));
        Assert.Equal(expected, m.CheckIo(TestNode, OpenB, new ByteRange(109, 1), write: true));
        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(0, 100), write: true));
        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(110, 100), write: false));
    }

    [Fact]
    public void Shared_windows_lock_blocks_other_owners_write_only()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(0, 10), write: false));
        Assert.Equal(OpenA, m.CheckIo(TestNode, OpenB, new ByteRange(0, 10), write: true)?.Holder);
    }

    [Fact]
    public void Own_exclusive_windows_lock_never_blocks_own_io()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);

        Assert.Null(m.CheckIo(TestNode, OpenA, new ByteRange(0, 100), write: true));
        Assert.Null(m.CheckIo(TestNode, OpenA, new ByteRange(0, 100), write: false));
    }

    [Fact]
    public void Own_shared_windows_lock_blocks_own_write_but_not_own_read()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);
        m.Windows(OpenA, 20, 10, LockKind.Shared);

        Assert.Null(m.CheckIo(TestNode, OpenA, new ByteRange(0, 100), write: false));
        Assert.Equal(new LockConflict(OpenA, new ByteRange(20, 10), LockKind.Shared),
            m.CheckIo(TestNode, OpenA, new ByteRange(0, 100), write: true));
        Assert.Null(m.CheckIo(TestNode, OpenA, new ByteRange(0, 20), write: true));
    }

    [Fact]
    public void Shared_lock_stacked_on_own_exclusive_blocks_own_write()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Exclusive);
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.Null(m.CheckIo(TestNode, OpenA, new ByteRange(0, 10), write: false));
        Assert.NotNull(m.CheckIo(TestNode, OpenA, new ByteRange(0, 10), write: true));
    }

    [Fact]
    public void Posix_locks_are_advisory_and_never_block_io()
    {
        var m = NewManager();
        m.Posix(Nlm(1), 0, 0, LockKind.Exclusive);

        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(0, 4096), write: true));
        Assert.Null(m.CheckIo(TestNode, null, new ByteRange(0, 4096), write: true));
    }

    [Fact]
    public void Io_without_an_owner_meets_every_windows_lock()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 10, LockKind.Shared);

        Assert.Null(m.CheckIo(TestNode, null, new ByteRange(0, 10), write: false));
        Assert.Equal(OpenA, m.CheckIo(TestNode, null, new ByteRange(5, 1), write: true)?.Holder);
    }

    [Fact]
    public void Zero_byte_io_touches_nothing()
    {
        var m = NewManager();
        m.Windows(OpenA, 0, 100, LockKind.Exclusive);

        Assert.Null(m.CheckIo(TestNode, OpenB, new ByteRange(50, 0), write: true));
    }
}
