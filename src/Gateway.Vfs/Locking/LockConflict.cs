namespace Gateway.Vfs.Locking;

/// <summary>
/// The lock that stands in the way, reported as NLM TEST/LOCK holder, NFSv4 LOCK4denied and
/// FUSE getlk need it. <see cref="Range"/> is the holder's whole range, not the intersection.
/// </summary>
public readonly record struct LockConflict(LockOwner Holder, ByteRange Range, LockKind Kind);
