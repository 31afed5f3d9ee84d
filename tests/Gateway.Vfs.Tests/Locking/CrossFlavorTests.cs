using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

/// <summary>One lock table for all protocols: the point of the lock manager.</summary>
public class CrossFlavorTests
{
    public static TheoryData<LockProtocol, LockProtocol, LockKind, LockKind> Matrix()
    {
        var data = new TheoryData<LockProtocol, LockProtocol, LockKind, LockKind>();
        LockProtocol[] protocols = [LockProtocol.Nlm, LockProtocol.Nfs4, LockProtocol.Fuse, LockProtocol.Smb];
        LockKind[] kinds = [LockKind.Shared, LockKind.Exclusive];
        foreach (var first in protocols)
            foreach (var second in protocols)
                foreach (var firstKind in kinds)
                    foreach (var secondKind in kinds)
                        data.Add(first, second, firstKind, secondKind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Owners_of_any_two_protocols_conflict_by_the_shared_exclusive_rule(
        LockProtocol first, LockProtocol second, LockKind firstKind, LockKind secondKind)
    {
        var m = NewManager();
        var holder = OwnerOf(first, 1);
        var requester = OwnerOf(second, 2);
        Assert.True(m.TryLock(TestNode, holder, new ByteRange(0, 100), firstKind, FlavorOf(first)).Granted);

        var result = m.TryLock(TestNode, requester, new ByteRange(50, 100), secondKind, FlavorOf(second));

        var compatible = firstKind == LockKind.Shared && secondKind == LockKind.Shared;
        Assert.Equal(compatible, result.Granted);
        if (!compatible)
            Assert.Equal(new LockConflict(holder, new ByteRange(0, 100), firstKind), result.Conflict);
    }

    [Fact]
    public void Nlm_exclusive_lock_blocks_smb_shared_lock_on_the_same_range()
    {
        var m = NewManager();
        m.Posix(Nlm(1), 0, 10, LockKind.Exclusive);

        var result = m.Windows(Smb(1), 0, 10, LockKind.Shared);

        Assert.Equal(new LockConflict(Nlm(1), new ByteRange(0, 10), LockKind.Exclusive), result.Conflict);
    }

    [Fact]
    public void Smb_exclusive_lock_blocks_nlm_to_eof_lock_and_shows_in_test()
    {
        var m = NewManager();
        m.Windows(Smb(1), 1000, 1, LockKind.Exclusive);

        Assert.False(m.Posix(Nlm(1), 0, 0, LockKind.Shared).Granted);
        Assert.Equal(new LockConflict(Smb(1), new ByteRange(1000, 1), LockKind.Exclusive), m.Test(TestNode, Nlm(1), ByteRange.WholeFile, LockKind.Shared));
    }

    [Fact]
    public void Same_owner_is_a_stranger_to_itself_across_flavors()
    {
        var m = NewManager();
        var owner = Smb(1);
        m.Windows(owner, 0, 10, LockKind.Exclusive);

        Assert.False(m.Posix(owner, 0, 10, LockKind.Exclusive).Granted);
    }

    [Fact]
    public void Posix_unlock_leaves_windows_locks_of_the_same_owner_and_range()
    {
        var m = NewManager();
        var owner = Smb(1);
        m.Windows(owner, 0, 10, LockKind.Shared);

        Assert.Equal(VfsStatus.Ok, m.Unlock(TestNode, owner, new ByteRange(0, 10), LockFlavor.Posix));
        Assert.Single(m.GetLocks(TestNode));
    }

    [Fact]
    public void Posix_merge_never_absorbs_a_windows_lock()
    {
        var m = NewManager();
        var owner = Nfs4(5);
        m.TryLock(TestNode, owner, new ByteRange(10, 10), LockKind.Shared, LockFlavor.Windows);
        m.Posix(owner, 0, 10, LockKind.Shared);
        m.Posix(owner, 20, 10, LockKind.Shared);

        var flavors = m.GetLocks(TestNode).Select(l => (l.Range.Offset, l.Flavor)).OrderBy(x => x.Offset).ToArray();
        Assert.Equal([(0UL, LockFlavor.Posix), (10UL, LockFlavor.Windows), (20UL, LockFlavor.Posix)], flavors);
    }

    private static LockOwner OwnerOf(LockProtocol protocol, ulong id) => new(protocol, new ClientKey(id), id);

    private static LockFlavor FlavorOf(LockProtocol protocol) =>
        protocol == LockProtocol.Smb ? LockFlavor.Windows : LockFlavor.Posix;
}
