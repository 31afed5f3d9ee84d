using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Vfs;

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

    /// <summary>The errno for a failed read: the request is malformed (a missing field, an unterminated name).</summary>
    public readonly int FailureErrno => FuseErrno.EIO;

    /// <summary>
    /// A NUL-terminated name (or symlink target, or xattr name). Any bytes are a name on Linux: they map to
    /// the Vfs string with NameEncoding, so a name that is not UTF-8 reaches the very same file on disk.
    /// False when no NUL ends it inside the request.
    /// </summary>
    public bool TryReadName(out string name)
    {
        name = "";
        var rest = _body[_pos..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0) return false;
        name = NameEncoding.Decode(rest[..nul]);
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
}
