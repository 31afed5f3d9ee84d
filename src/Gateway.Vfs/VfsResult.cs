namespace Gateway.Vfs;

/// <summary>A status and, when it is <see cref="VfsStatus.Ok"/>, a value. No exceptions cross the Vfs boundary for expected errors.</summary>
public readonly struct VfsResult<T>
{
    private readonly T? _value;

    public VfsResult(T value)
    {
        _value = value;
        Status = VfsStatus.Ok;
    }

    private VfsResult(VfsStatus status)
    {
        _value = default;
        Status = status;
    }

    public VfsStatus Status { get; }

    public bool IsOk => Status == VfsStatus.Ok;

    /// <summary>The value; throws when the result is an error, which is a bug in the caller.</summary>
    public T Value => Status == VfsStatus.Ok ? _value! : throw new InvalidOperationException($"No value: {Status}");

    public static VfsResult<T> Fail(VfsStatus status) =>
        status == VfsStatus.Ok ? throw new ArgumentException("Fail needs an error status", nameof(status)) : new(status);

    public static implicit operator VfsResult<T>(T value) => new(value);

    public static implicit operator VfsResult<T>(VfsStatus status) => Fail(status);

    public override string ToString() => IsOk ? $"Ok({_value})" : Status.ToString();
}
