using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    private static readonly LockOwner NlmOwner = new(LockProtocol.Nlm, new ClientKey(7), 1);
    private static readonly LockOwner SmbOwner = new(LockProtocol.Smb, new ClientKey(9), 2);

    [Fact]
    public void Locks_and_share_reservations_survive_a_restart()
    {
        var f = CreateFile("f");
        Assert.True(Vfs.Locks.TryLock(f, NlmOwner, new ByteRange(0, 100), LockKind.Exclusive, LockFlavor.Posix).Granted);
        Assert.Equal(VfsStatus.Ok, Vfs.Locks.OpenShare(f, 42, SmbOwner, ShareAccess.Read, ShareAccess.Write));
        Restart();
        var conflict = Vfs.Locks.TryLock(f, SmbOwner, new ByteRange(50, 10), LockKind.Shared, LockFlavor.Windows);
        Assert.False(conflict.Granted);
        Assert.Equal(NlmOwner, conflict.Conflict!.Value.Holder);
        Assert.Equal(VfsStatus.ShareConflict, Vfs.Locks.OpenShare(f, 43, NlmOwner, ShareAccess.Write, ShareAccess.None));
    }

    [Fact]
    public void Removing_a_file_releases_its_locks()
    {
        var f = CreateFile("f");
        Assert.True(Vfs.Locks.TryLock(f, NlmOwner, new ByteRange(0, 0), LockKind.Exclusive, LockFlavor.Posix).Granted);
        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, Vfs.Root, "f").Status);
        Assert.Empty(Vfs.Locks.GetLocks(f));
        Restart();
        Assert.Empty(Vfs.Locks.GetLocks(f));
    }
}
