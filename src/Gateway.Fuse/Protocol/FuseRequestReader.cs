using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Fuse.Protocol;

/// <summary>
/// A cursor over one request's body (after fuse_in_header). Every read checks the bytes are there and
/// answers false when they are not: a short request is a protocol error (EIO), never an exception.
/// </summary>
internal ref struct FuseRequestReader
{
    private readonly ReadOnlySpan<byte> _body;
    private int _pos;

    public FuseRequestReader(ReadOnlySpan<byte> body)
    {
        _body = body;
        _pos = 0;
    }

    public readonly int Remaining => _body.Length - _pos;

    public bool TryRead<T>(out T value) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (Remaining < size)
        {
            value = default;
            return false;
        }
        value = MemoryMarshal.Read<T>(_body.Slice(_pos, size));
        _pos += size;
        return true;
    }

    /// <summary>
    /// Set when a name was not valid UTF-8. Vfs names are strings, so such a name cannot be served: the
    /// caller answers EILSEQ (what filesystems that insist on UTF-8 names answer) instead of EIO.
    /// </summary>
    public bool InvalidEncoding { get; private set; }

    /// <summary>The errno for a failed read: EILSEQ for a name that is not UTF-8, else EIO (malformed request).</summary>
    public readonly int FailureErrno => InvalidEncoding ? FuseErrno.EILSEQ : FuseErrno.EIO;

    /// <summary>A NUL-terminated name. False when no NUL ends it inside the request, or it is not valid UTF-8.</summary>
    public bool TryReadName(out string name)
    {
        name = "";
        var rest = _body[_pos..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0) return false;
        try
        {
            name = StrictUtf8.GetString(rest[..nul]);
        }
        catch (DecoderFallbackException)
        {
            InvalidEncoding = true;
            return false;
        }
        _pos += nul + 1;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (count < 0 || Remaining < count) return false;
        bytes = _body.Slice(_pos, count);
        _pos += count;
        return true;
    }

    public ReadOnlySpan<byte> Rest => _body[_pos..];

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}
