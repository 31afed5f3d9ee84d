namespace Gateway.Vfs;

public enum TimeUpdateKind : byte { DontChange, ServerNow, ClientTime }

/// <summary>How to change one timestamp (NFSv3 set_atime/set_mtime).</summary>
public readonly record struct TimeUpdate(TimeUpdateKind Kind, long UnixNanoseconds = 0)
{
    public static readonly TimeUpdate DontChange = new(TimeUpdateKind.DontChange);
    public static readonly TimeUpdate Now = new(TimeUpdateKind.ServerNow);

    public static TimeUpdate At(long unixNanoseconds) => new(TimeUpdateKind.ClientTime, unixNanoseconds);
}

/// <summary>
/// A SetAttr request: null means "leave alone". <see cref="GuardChangeTime"/>, when set, makes the
/// call fail with <see cref="VfsStatus.NotSync"/> unless the node's ctime still equals it (NFSv3 sattrguard3).
/// </summary>
public sealed record SetAttributes
{
    public uint? Mode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public ulong? Size { get; init; }
    public TimeUpdate AccessTime { get; init; } = TimeUpdate.DontChange;
    public TimeUpdate ModifyTime { get; init; } = TimeUpdate.DontChange;
    public long? GuardChangeTime { get; init; }

    public static readonly SetAttributes None = new();

    public bool IsEmpty => Mode is null && Uid is null && Gid is null && Size is null
        && AccessTime.Kind == TimeUpdateKind.DontChange && ModifyTime.Kind == TimeUpdateKind.DontChange;
}
