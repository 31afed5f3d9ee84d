using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;

namespace Gateway.Fuse.Protocol;

/// <summary>
/// Builds one reply in a caller-owned buffer: the fuse_out_header at offset 0 (filled in by
/// <see cref="Finish"/>), then the payload. Sized for the largest reply (a max_read READ), so a
/// well-formed reply always fits; <see cref="TryAppend{T}"/> still checks.
/// </summary>
internal sealed class FuseReplyBuilder
{
    public static readonly int HeaderSize = Unsafe.SizeOf<FuseOutHeader>();

    private readonly byte[] _buffer;
    private int _length;

    public FuseReplyBuilder(int capacity)
    {
        _buffer = GC.AllocateUninitializedArray<byte>(capacity + HeaderSize, pinned: true);
        _length = HeaderSize;
    }

    public int Capacity => _buffer.Length - HeaderSize;

    public int PayloadLength => _length - HeaderSize;

    public void Reset() => _length = HeaderSize;

    public void Append<T>(in T value) where T : unmanaged
    {
        if (!TryAppend(value)) throw new InvalidOperationException($"reply buffer too small for {typeof(T).Name}");
    }

    public bool TryAppend<T>(in T value) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_buffer.Length - _length < size) return false;
        MemoryMarshal.Write(_buffer.AsSpan(_length, size), in value);
        _length += size;
        return true;
    }

    /// <summary>Appends <paramref name="count"/> zero bytes (the spare/unused tails of kernel structs).</summary>
    public void AppendZeros(int count)
    {
        _buffer.AsSpan(_length, count).Clear();
        _length += count;
    }

    public void AppendBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Free room after the payload so far (READ data, dirents, xattr values are written here, then <see cref="Advance"/>d).</summary>
    public Span<byte> Free => _buffer.AsSpan(_length);

    public Memory<byte> FreeMemory => _buffer.AsMemory(_length);

    public void Advance(int count) => _length += count;

    /// <summary>Fills the header for a success reply; returns the whole message.</summary>
    public ReadOnlySpan<byte> Finish(ulong unique)
    {
        var header = new FuseOutHeader { Len = (uint)_length, Error = 0, Unique = unique };
        MemoryMarshal.Write(_buffer.AsSpan(0, HeaderSize), in header);
        return _buffer.AsSpan(0, _length);
    }

    /// <summary>An error reply: the header alone, with -errno.</summary>
    public static void WriteError(Span<byte> header, ulong unique, int errno)
    {
        var h = new FuseOutHeader { Len = (uint)HeaderSize, Error = -errno, Unique = unique };
        MemoryMarshal.Write(header, in h);
    }

    /// <summary>A notification header: unique 0, error = the notify code.</summary>
    public static void WriteNotifyHeader(Span<byte> header, FuseNotifyCode code, int totalLength)
    {
        var h = new FuseOutHeader { Len = (uint)totalLength, Error = (int)code, Unique = 0 };
        MemoryMarshal.Write(header, in h);
    }
}
