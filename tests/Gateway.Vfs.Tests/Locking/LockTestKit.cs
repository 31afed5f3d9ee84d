using Gateway.Vfs.Locking;

namespace Gateway.Vfs.Tests.Locking;

/// <summary>Owners and shorthands shared by the locking tests.</summary>
internal static class LockTestKit
{
    public static readonly NodeId TestNode = new(42);
    public static readonly NodeId OtherNode = new(43);

    public static LockOwner Nlm(ulong svid, ulong host = 1) => new(LockProtocol.Nlm, new ClientKey(host), svid);

    public static LockOwner Nfs4(ulong lockOwner, ulong clientId = 2) => new(LockProtocol.Nfs4, new ClientKey(clientId), lockOwner);

    public static LockOwner Fuse(ulong lockOwner) => new(LockProtocol.Fuse, new ClientKey(0), lockOwner);

    public static LockOwner Smb(ulong open, ulong session = 7) => new(LockProtocol.Smb, new ClientKey(session), open);

    public static LockManager NewManager() => new(new InMemoryLockStore());

    /// <summary>The owner's locks on <see cref="TestNode"/> as (offset, length, kind), by offset.</summary>
    public static (ulong Offset, ulong Length, LockKind Kind)[] LocksOf(LockManager manager, LockOwner owner, NodeId? node = null) =>
        manager.GetLocks(node ?? TestNode)
            .Where(l => l.Owner == owner)
            .OrderBy(l => l.Range.Offset)
            .Select(l => (l.Range.Offset, l.Range.Length, l.Kind))
            .ToArray();

    public static LockResult Posix(this LockManager manager, LockOwner owner, ulong offset, ulong length, LockKind kind) =>
        manager.TryLock(TestNode, owner, new ByteRange(offset, length), kind, LockFlavor.Posix);

    public static LockResult Windows(this LockManager manager, LockOwner owner, ulong offset, ulong length, LockKind kind) =>
        manager.TryLock(TestNode, owner, new ByteRange(offset, length), kind, LockFlavor.Windows);
}
