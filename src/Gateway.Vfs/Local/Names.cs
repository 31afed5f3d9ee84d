using System.Text;

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
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            return VfsStatus.InvalidName; // a lone surrogate cannot be a file name on disk
        }
        return bytes > MaxNameBytes ? VfsStatus.NameTooLong : VfsStatus.Ok;
    }

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>NUL-terminated UTF-8 for a syscall. Small strings go on the caller's stack buffer.</summary>
    public static ReadOnlySpan<byte> ToCString(string s, Span<byte> scratch)
    {
        var max = Encoding.UTF8.GetMaxByteCount(s.Length) + 1;
        var buffer = max <= scratch.Length ? scratch : new byte[max];
        var n = Encoding.UTF8.GetBytes(s, buffer);
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
