namespace Gateway.Vfs.Locking;

/// <summary>
/// fcntl(F_SETLK) arithmetic on one owner's POSIX locks: a request first carves its range out of
/// everything the owner holds there, then (for a lock) lays the new kind over it and merges it with
/// touching locks of the same kind. Unlock is the same carve without the new piece. The result is
/// what Linux gives for the same sequence, including upgrade/downgrade in place and the split of a
/// lock into two or three pieces.
/// </summary>
internal static class PosixLockSet
{
    private readonly record struct Piece(ulong First, ulong Last, LockKind Kind);

    private static readonly Comparison<Piece> ByFirst = static (a, b) => a.First.CompareTo(b.First);

    /// <summary>
    /// The node's lock list after <paramref name="owner"/> sets [first, last] to
    /// <paramref name="kind"/>, or unlocks it when kind is null. Other owners' locks and all
    /// Windows locks keep their place; the owner's POSIX locks follow, sorted by offset.
    /// Conflicts with other owners are the caller's business and must be checked first.
    /// </summary>
    public static LockRecord[] Apply(LockRecord[] current, NodeId node, LockOwner owner, ulong first, ulong last, LockKind? kind)
    {
        var others = new List<LockRecord>(current.Length + 2);
        var mine = new List<Piece>();
        foreach (var held in current)
        {
            if (held.Flavor != LockFlavor.Posix || held.Owner != owner)
            {
                others.Add(held);
                continue;
            }
            var heldFirst = held.Range.Offset;
            var heldLast = held.Range.Last;
            if (heldLast < first || heldFirst > last)
            {
                mine.Add(new(heldFirst, heldLast, held.Kind));
                continue;
            }
            // heldFirst < first implies first > 0, heldLast > last implies last < MaxValue: no wrap.
            if (heldFirst < first)
                mine.Add(new(heldFirst, first - 1, held.Kind));
            if (heldLast > last)
                mine.Add(new(last + 1, heldLast, held.Kind));
        }
        if (kind is { } k)
            mine.Add(new(first, last, k));

        mine.Sort(ByFirst);
        AppendMerged(others, mine, node, owner);
        return others.ToArray();
    }

    private static void AppendMerged(List<LockRecord> into, List<Piece> sorted, NodeId node, LockOwner owner)
    {
        var i = 0;
        while (i < sorted.Count)
        {
            var run = sorted[i++];
            while (i < sorted.Count && Touches(run, sorted[i]))
            {
                var next = sorted[i++];
                run = run with { Last = Math.Max(run.Last, next.Last) };
            }
            into.Add(new LockRecord(node, owner, ByteRange.FromInclusive(run.First, run.Last), run.Kind, LockFlavor.Posix));
        }
    }

    // Same kind and overlapping or adjacent; overlap only occurs with rows persisted un-normalized.
    private static bool Touches(Piece run, Piece next) =>
        run.Kind == next.Kind && (run.Last == ulong.MaxValue || next.First <= run.Last + 1);
}
