namespace Gateway.Vfs.Locking;

/// <summary>
/// The bytes a lock or an I/O touches, as inclusive [First, Last], after the flavor's reading of
/// Length is applied. Every overlap test in the lock manager goes through here so that POSIX
/// and Windows ranges compare on one scale.
/// </summary>
/// <remarks>
/// Windows zero-length ranges follow MS-FSA 2.1.4.10 literally: {0, 0} overlaps nothing
/// (<see cref="IsVoid"/>); {s, 0} with s &gt; 0 becomes [s, s - 1], which the ordinary overlap test
/// matches only against a range that starts before s and still covers s. So a zero-length lock
/// never meets another zero-length lock, nor a lock starting at its offset, nor one ending before
/// it; it does meet a lock straddling its offset, as Windows and Samba (brl_overlap) do.
/// </remarks>
internal readonly record struct LockExtent(ulong First, ulong Last, bool IsVoid)
{
    public static LockExtent Of(ByteRange range, LockFlavor flavor) =>
        flavor == LockFlavor.Windows ? Literal(range) : Posix(range);

    public static LockExtent Posix(ByteRange range) => new(range.Offset, range.Last, false);

    public static LockExtent Literal(ByteRange range)
    {
        if (range.Offset == 0 && range.Length == 0)
            return new(0, 0, true);
        if (range.Length == 0)
            return new(range.Offset, range.Offset - 1, false);
        // Callers reject wrapping Windows ranges (MS-FSA STATUS_INVALID_LOCK_RANGE); clipping here
        // only keeps a bad persisted row from wrapping around to offset 0.
        return new(range.Offset, range.Last, false);
    }

    /// <summary>MS-FSA 2.1.5.8 validation: a non-empty range may not run past byte 2^64 - 1.</summary>
    public static bool IsValidLiteral(ByteRange range) =>
        range.Length == 0 || range.Length - 1 <= ulong.MaxValue - range.Offset;

    public bool Overlaps(LockExtent other) =>
        !IsVoid && !other.IsVoid && First <= other.Last && other.First <= Last;
}
