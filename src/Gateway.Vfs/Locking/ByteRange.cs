namespace Gateway.Vfs.Locking;

/// <summary>
/// A byte range as NLM, NFSv4 and fcntl carry it: <see cref="Length"/> 0 means to end of file,
/// that is every offset from <see cref="Offset"/> up to and including <see cref="ulong.MaxValue"/>.
/// A range whose end would pass 2^64 is clipped to the same meaning instead of wrapping.
/// Windows-flavor locks read Length literally (0 = zero bytes); <see cref="LockManager"/> applies
/// that reading by flavor, so the members here describe the POSIX reading only.
/// </summary>
public readonly record struct ByteRange(ulong Offset, ulong Length)
{
    public static ByteRange WholeFile => new(0, 0);

    public bool IsToEof => Length == 0;

    /// <summary>Last byte covered, inclusive; <see cref="ulong.MaxValue"/> for to-EOF and clipped ranges.</summary>
    public ulong Last => Length == 0 || Length - 1 > ulong.MaxValue - Offset ? ulong.MaxValue : Offset + Length - 1;

    /// <summary>
    /// Exclusive end, saturating at <see cref="ulong.MaxValue"/> (so it cannot tell "to EOF" from
    /// "up to the last byte but one"; use <see cref="Last"/> where that matters).
    /// </summary>
    public ulong End => Length == 0 || Length > ulong.MaxValue - Offset ? ulong.MaxValue : Offset + Length;

    public static ByteRange ToEof(ulong offset) => new(offset, 0);

    /// <summary>[first, last] inclusive; a last of <see cref="ulong.MaxValue"/> gives a to-EOF range.</summary>
    public static ByteRange FromInclusive(ulong first, ulong last)
    {
        if (last < first)
            throw new ArgumentOutOfRangeException(nameof(last), last, "last byte before first byte");
        // 2^64 bytes from offset 0 has no Length; to-EOF says the same thing.
        return last == ulong.MaxValue ? new(first, 0) : new(first, last - first + 1);
    }

    /// <summary>
    /// [offset, end) exclusive; an end of <see cref="ulong.MaxValue"/> gives a to-EOF range,
    /// mirroring <see cref="End"/>'s saturation so FromEnd(r.Offset, r.End) covers what r covers.
    /// </summary>
    public static ByteRange FromEnd(ulong offset, ulong end)
    {
        if (end <= offset)
            throw new ArgumentOutOfRangeException(nameof(end), end, "empty or reversed range");
        return end == ulong.MaxValue ? new(offset, 0) : new(offset, end - offset);
    }

    public bool Overlaps(ByteRange other) => Offset <= other.Last && other.Offset <= Last;

    public bool Contains(ByteRange other) => Offset <= other.Offset && other.Last <= Last;

    public override string ToString() => Length == 0 ? $"[{Offset}..EOF]" : $"[{Offset}+{Length}]";
}
