namespace Gateway.Vfs.Locking;

/// <summary>
/// SMB byte-range locks per MS-FSA 2.1.5.8 (lock) and 2.1.5.9 (unlock). Each lock is its own
/// record: two shared locks on one range by one open are two locks and take two unlocks, and
/// neighbours are never merged. Conflicts are decided by <see cref="LockCompatibility"/>.
/// </summary>
internal static class WindowsLockRules
{
    /// <summary>
    /// MS-FSA 2.1.5.8: "If (((FileOffset + Length - 1) &lt; FileOffset) &amp;&amp; Length != 0)" the
    /// request is failed with STATUS_INVALID_LOCK_RANGE. Length 0 is allowed and means zero bytes.
    /// </summary>
    public static bool IsValidRange(ByteRange range) => LockExtent.IsValidLiteral(range);

    /// <summary>
    /// MS-FSA 2.1.5.9: the lock to remove has the same offset, length and open; among several such,
    /// an exclusive one is taken first, else the last shared one. -1 when none matches
    /// (STATUS_RANGE_NOT_LOCKED).
    /// </summary>
    public static int FindUnlockTarget(LockRecord[] locks, LockOwner owner, ByteRange range)
    {
        var target = -1;
        for (var i = 0; i < locks.Length; i++)
        {
            var held = locks[i];
            if (held.Flavor != LockFlavor.Windows || held.Owner != owner || held.Range != range)
                continue;
            target = i;
            if (held.Kind == LockKind.Exclusive)
                break;
        }
        return target;
    }
}
