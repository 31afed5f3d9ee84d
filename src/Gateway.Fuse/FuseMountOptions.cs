namespace Gateway.Fuse;

public sealed record FuseMountOptions
{
    public bool ReadOnly { get; init; }
    public string FsName { get; init; } = "gateway";
    /// <summary>allow_other + default_permissions: every local user may enter, and the kernel checks modes.</summary>
    public bool AllowOther { get; init; } = true;
    public int ReaderThreads { get; init; } = 4;
    /// <summary>Use FUSE passthrough (kernel 6.9+) for file data when the kernel offers it.</summary>
    public bool Passthrough { get; init; } = true;
    public Action<string> Log { get; init; } = _ => { };
    /// <summary>Mount through fusermount3 even when running as root (how an unprivileged gateway mounts).</summary>
    public bool UseFusermount { get; init; }
    /// <summary>Entry and attribute cache time given to the kernel; short because changes also invalidate.</summary>
    public TimeSpan CacheTimeout { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A mount that could not be made, in one line fit for the CLI.</summary>
public sealed class FuseMountException(string message) : Exception(message);
