namespace Gateway.Vfs.Locking;

/// <summary>
/// The one table that decides whether a lock request or an I/O collides with a held lock,
/// whatever protocol either came from. This is what makes an NLM lock hold off an SMB lock
/// on the same bytes and the other way round.
/// </summary>
internal static class LockCompatibility
{
    /// <summary>
    /// Request vs held lock:
    /// - shared vs shared never conflicts;
    /// - POSIX vs POSIX of the same owner never conflicts: the request replaces what the owner
    ///   holds (fcntl semantics);
    /// - a Windows shared request stacks on the same open's Windows exclusive lock (MS-FSA 2.1.5.8
    ///   checks an exclusive held lock only against other opens for a shared request; Windows and
    ///   Samba's brl_conflict both grant it, smbtorture smb2.lock.stacking checks it);
    /// - otherwise any overlap conflicts. For Windows vs Windows this holds for the same owner too:
    ///   an open's exclusive request meets its own shared and exclusive locks. An owner holding both
    ///   flavors is a stranger to itself across flavors; no adapter mixes them today.
    /// </summary>
    public static bool Conflicts(LockRecord held, LockOwner owner, LockExtent extent, LockKind kind, LockFlavor flavor)
    {
        if (kind == LockKind.Shared && held.Kind == LockKind.Shared)
            return false;
        if (flavor == LockFlavor.Posix && held.Flavor == LockFlavor.Posix && held.Owner == owner)
            return false;
        if (kind == LockKind.Shared && held.Kind == LockKind.Exclusive && flavor == LockFlavor.Windows
            && held.Flavor == LockFlavor.Windows && held.Owner == owner)
            return false;
        return extent.Overlaps(LockExtent.Of(held.Range, held.Flavor));
    }

    /// <summary>The conflicting lock with the lowest offset, so repeated TESTs give one answer.</summary>
    public static LockRecord? FindConflict(LockRecord[] locks, LockOwner owner, LockExtent extent, LockKind kind, LockFlavor flavor)
    {
        LockRecord? found = null;
        foreach (var held in locks)
        {
            if (!Conflicts(held, owner, extent, kind, flavor))
                continue;
            if (found is null || held.Range.Offset < found.Range.Offset)
                found = held;
        }
        return found;
    }

    /// <summary>
    /// READ/WRITE vs held locks: only Windows locks are mandatory ([MS-SMB2] 3.3.5.14.2: exclusive
    /// denies other opens read and write, shared denies them write); POSIX locks are advisory and
    /// never block I/O. The I/O's own exclusive locks never block it, but a shared lock blocks
    /// writes from its own open too (MS-FSA 2.1.4.11: a shared range is read-only for everyone;
    /// smbtorture smb2.lock.rw-shared). A null owner, e.g. an NFSv3 WRITE, is nobody's and so
    /// meets every Windows lock.
    /// </summary>
    public static LockRecord? FindIoConflict(LockRecord[] locks, LockOwner? owner, LockExtent extent, bool write)
    {
        LockRecord? found = null;
        foreach (var held in locks)
        {
            if (held.Flavor != LockFlavor.Windows)
                continue;
            if (held.Kind == LockKind.Shared && !write)
                continue;
            if (owner is { } o && held.Owner == o && held.Kind == LockKind.Exclusive)
                continue;
            if (!extent.Overlaps(LockExtent.Of(held.Range, held.Flavor)))
                continue;
            if (found is null || held.Range.Offset < found.Range.Offset)
                found = held;
        }
        return found;
    }

    public static LockConflict ToConflict(LockRecord held) => new(held.Owner, held.Range, held.Kind);
}
