using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Gateway.Vfs;

/// <summary>
/// File names on Linux are bytes (anything but '/' and NUL); Vfs names are strings. This is the one
/// mapping between them, lossless both ways, the same idea as Python's "surrogateescape":
/// <list type="bullet">
/// <item>Decoding, valid UTF-8 becomes the usual string, and every byte that is not part of a valid
/// UTF-8 sequence (0x80-0xFF: stray continuations, overlongs, encoded surrogates, truncated sequences,
/// 0xC0/0xC1/0xF5-0xFF) becomes the lone surrogate U+DC00 + byte, i.e. U+DC80..U+DCFF.</item>
/// <item>Encoding, such a lone surrogate becomes its byte again and everything else is UTF-8.</item>
/// </list>
/// A valid UTF-8 name decodes exactly as <see cref="Encoding.UTF8"/> would, so node ids, cookies and
/// stored names of ordinary files do not change. A string is a valid name string only if it is what
/// decoding its own encoding gives back: a lone surrogate outside U+DC80..U+DCFF stands for no byte,
/// and escapes that spell valid UTF-8 (U+DCC3 U+DCA9 would be the bytes of "é") are refused rather
/// than silently turned into another name. So encode is one-to-one on valid strings, decode on bytes.
/// </summary>
public static class NameEncoding
{
    private const char EscapeBase = '\uDC00';
    private const char FirstEscape = '\uDC80';
    private const char LastEscape = '\uDCFF';

    // Scratch that fits a NAME_MAX name (and then some) lives on the stack; longer input rents.
    private const int StackLimit = 1024;

    /// <summary>An upper bound of the encoded size of any string of this length (3 bytes per UTF-16 unit).</summary>
    public static int GetMaxByteCount(int charCount) => checked(charCount * 3);

    /// <summary>The string for on-disk (or on-the-wire) name bytes. Never fails.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return string.Empty;
        if (Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        char[]? rented = null;
        // Decoding never produces more UTF-16 units than there are bytes.
        var chars = bytes.Length <= StackLimit ? stackalloc char[bytes.Length] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            return new string(chars[..Decode(bytes, chars)]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes into <paramref name="chars"/>, which must hold at least <c>bytes.Length</c> units; returns the count written.</summary>
    public static int Decode(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        if (chars.Length < bytes.Length) throw new ArgumentException("the destination must hold one unit per byte", nameof(chars));
        var written = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes, chars[written..], out var read, out var produced, replaceInvalidSequences: false);
            written += produced;
            bytes = bytes[read..];
            if (status == OperationStatus.Done) return written;
            // InvalidData: bytes[0] starts no valid sequence (it is 0x80 or above: ASCII is always valid).
            // It stands for itself; decoding resumes at the next byte, so each byte of a broken sequence
            // is escaped on its own, whatever follows.
            chars[written++] = (char)(EscapeBase + bytes[0]);
            bytes = bytes[1..];
        }
    }

    /// <summary>Bytes of the encoding of <paramref name="name"/>, or -1 when it is not a valid name string (see the type).</summary>
    public static int GetByteCount(ReadOnlySpan<char> name)
    {
        if (!HasSurrogates(name)) return Encoding.UTF8.GetByteCount(name);
        byte[]? rented = null;
        var max = GetMaxByteCount(name.Length);
        var scratch = max <= StackLimit ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            return TryEncodeWithSurrogates(name, scratch, out var n) ? n : -1;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Encodes <paramref name="name"/> into <paramref name="destination"/> (no NUL added). False when the
    /// string is not a valid name string or the destination is too small (<see cref="GetMaxByteCount"/> always suffices).
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<char> name, Span<byte> destination, out int written)
    {
        if (!HasSurrogates(name))
            return Utf8.FromUtf16(name, destination, out _, out written) == OperationStatus.Done;
        return TryEncodeWithSurrogates(name, destination, out written);
    }

    /// <summary>True when the string stands for some byte string: see the type for what is refused.</summary>
    public static bool IsValid(ReadOnlySpan<char> name) => GetByteCount(name) >= 0;

    /// <summary>
    /// True when the string holds at least one escaped byte (a lone U+DC80..U+DCFF), i.e. its bytes are
    /// not valid UTF-8. Such a string cannot go through anything that speaks only UTF-8 (SQLite text,
    /// xattr names) without changing.
    /// </summary>
    public static bool HasEscapes(ReadOnlySpan<char> name)
    {
        if (!HasSurrogates(name)) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])) i++;
            else if (c is >= FirstEscape and <= LastEscape) return true;
        }
        return false;
    }

    // SearchValues rather than IndexOfAnyInRange: the latter allocates on every call until the JIT
    // has optimised it (measured: 96 bytes per call at tier 0), and names are looked at a lot.
    private static readonly SearchValues<char> Surrogates =
        SearchValues.Create(string.Create(0x800, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)(0xD800 + i);
        }));

    private static bool HasSurrogates(ReadOnlySpan<char> s) => s.IndexOfAny(Surrogates) >= 0;

    private static bool TryEncodeWithSurrogates(ReadOnlySpan<char> name, Span<byte> destination, out int written)
    {
        written = 0;
        var rest = name;
        var escaped = false;
        while (true)
        {
            var status = Utf8.FromUtf16(rest, destination[written..], out var read, out var produced, replaceInvalidSequences: false);
            written += produced;
            rest = rest[read..];
            if (status == OperationStatus.Done) break;
            if (status != OperationStatus.InvalidData) return false; // destination too small
            // A lone surrogate: only U+DC80..U+DCFF stands for a byte.
            var c = rest[0];
            if (c is < FirstEscape or > LastEscape || written == destination.Length) return false;
            destination[written++] = (byte)(c - EscapeBase);
            rest = rest[1..];
            escaped = true;
        }
        return !escaped || DecodesTo(destination[..written], name);
    }

    /// <summary>
    /// Whether the bytes decode back to exactly this string. Escapes next to each other or to other
    /// bytes can spell valid UTF-8, which would decode to another string: such a string names no file.
    /// </summary>
    private static bool DecodesTo(ReadOnlySpan<byte> bytes, ReadOnlySpan<char> expected)
    {
        char[]? rented = null;
        var chars = bytes.Length <= StackLimit ? stackalloc char[bytes.Length] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            return chars[..Decode(bytes, chars)].SequenceEqual(expected);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }
}
