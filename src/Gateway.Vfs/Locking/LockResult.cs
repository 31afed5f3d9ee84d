namespace Gateway.Vfs.Locking;

/// <summary>
/// Outcome of a lock request: granted (<see cref="VfsStatus.Ok"/>), refused because of a
/// holder (<see cref="VfsStatus.LockConflict"/> with <see cref="Conflict"/> set), or refused
/// as malformed (<see cref="VfsStatus.Invalid"/>).
/// </summary>
public readonly struct LockResult : IEquatable<LockResult>
{
    private LockResult(VfsStatus status, LockConflict? conflict)
    {
        Status = status;
        Conflict = conflict;
    }

    public static LockResult Success { get; } = new(VfsStatus.Ok, null);

    public VfsStatus Status { get; }

    public LockConflict? Conflict { get; }

    public bool Granted => Status == VfsStatus.Ok;

    public static LockResult Denied(LockConflict conflict) => new(VfsStatus.LockConflict, conflict);

    public static LockResult Failed(VfsStatus status)
    {
        if (status is VfsStatus.Ok or VfsStatus.LockConflict)
            throw new ArgumentOutOfRangeException(nameof(status), status, "use Success or Denied");
        return new(status, null);
    }

    public bool Equals(LockResult other) => Status == other.Status && Conflict == other.Conflict;

    public override bool Equals(object? obj) => obj is LockResult other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Status, Conflict);

    public static bool operator ==(LockResult left, LockResult right) => left.Equals(right);

    public static bool operator !=(LockResult left, LockResult right) => !left.Equals(right);

    public override string ToString() => Conflict is { } c ? $"{Status} ({c})" : Status.ToString();
}
