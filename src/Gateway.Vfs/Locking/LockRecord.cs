namespace Gateway.Vfs.Locking;

/// <summary>
/// One granted byte-range lock, as persisted. POSIX records are kept normalized: an owner's
/// POSIX locks on a node never overlap, adjacent ones of one kind are merged, and a range that
/// reaches the last byte is stored as <see cref="ByteRange.Length"/> 0 (to end of file).
/// </summary>
public sealed record LockRecord(NodeId Node, LockOwner Owner, ByteRange Range, LockKind Kind, LockFlavor Flavor);
