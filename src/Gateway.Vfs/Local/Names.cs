namespace Gateway.Vfs.Local;

/// <summary>
/// Validation and encoding of single path components. Every name a client sends passes here before
/// it reaches a syscall, so no '/', "..", NUL or over-long name can steer a *at() call elsewhere.
/// </summary>
internal static class Names
{
    /// <summary>NAME_MAX on Linux: bytes, not characters.</summary>
    public const int MaxNameBytes = 255;

    public static VfsStatus Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) return VfsStatus.InvalidName;
        if (name is "." or "..") return VfsStatus.InvalidName;
        if (name.AsSpan().IndexOfAny('/', '\0') >= 0) return VfsStatus.InvalidName;
        // Names are any bytes on disk (escaped bytes included, see NameEncoding); a string that stands
        // for no byte string (a stray surrogate) is refused, never altered into another name.
        var bytes = NameEncoding.GetByteCount(name);
        if (bytes < 0) return VfsStatus.InvalidName;
        return bytes > MaxNameBytes ? VfsStatus.NameTooLong : VfsStatus.Ok;
    }

    /// <summary>
    /// The NUL-terminated on-disk bytes of a name or path for a syscall (see <see cref="NameEncoding"/>).
    /// Small strings go on the caller's stack buffer. Empty when the string stands for no bytes: callers
    /// validate names first, and a syscall wrapper answers EINVAL for an empty result.
    /// </summary>
    public static ReadOnlySpan<byte> ToCString(string s, Span<byte> scratch)
    {
        var max = NameEncoding.GetMaxByteCount(s.Length) + 1;
        var buffer = max <= scratch.Length ? scratch : new byte[max];
        if (!NameEncoding.TryEncode(s, buffer, out var n) || buffer[..n].Contains((byte)0)) return default;
        buffer[n] = 0;
        return buffer[..(n + 1)];
    }

    /// <summary>The /proc/self/fd path of a descriptor: how an O_PATH descriptor is re-opened or used with path-only calls.</summary>
    public static ReadOnlySpan<byte> ProcFdPath(int fd, Span<byte> scratch)
    {
        "/proc/self/fd/"u8.CopyTo(scratch);
        fd.TryFormat(scratch[14..], out var written);
        scratch[14 + written] = 0;
        return scratch[..(15 + written)];
    }
}
