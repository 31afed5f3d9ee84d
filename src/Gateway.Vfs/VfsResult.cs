namespace Gateway.Vfs;

/// <summary>
/// A status and, when it is <see cref="VfsStatus.Ok"/>, a value. No exceptions cross the Vfs boundary for
/// expected errors. <c>default(VfsResult&lt;T&gt;)</c> is not a success (it reads as <see cref="VfsStatus.Io"/>):
/// a result nobody filled in must never pass for a file with all-zero attributes.
/// </summary>
public readonly struct VfsResult<T>
{
    private readonly T? _value;
    private readonly VfsStatus _error;
    private readonly bool _ok;

    public VfsResult(T value)
    {
        _value = value;
        _ok = true;
        _error = VfsStatus.Ok;
    }

    private VfsResult(VfsStatus status)
    {
        _value = default;
        _ok = false;
        _error = status;
    }

    public VfsStatus Status => _ok ? VfsStatus.Ok : _error == VfsStatus.Ok ? VfsStatus.Io : _error;

    public bool IsOk => Status == VfsStatus.Ok;

    /// <summary>The value; throws when the result is an error, which is a bug in the caller.</summary>
    public T Value => _ok ? _value! : throw new InvalidOperationException($"No value: {Status}");

    public static VfsResult<T> Fail(VfsStatus status) =>
        status == VfsStatus.Ok ? throw new ArgumentException("Fail needs an error status", nameof(status)) : new(status);

    public static implicit operator VfsResult<T>(T value) => new(value);

    public static implicit operator VfsResult<T>(VfsStatus status) => Fail(status);

    public override string ToString() => IsOk ? $"Ok({_value})" : Status.ToString();
}
