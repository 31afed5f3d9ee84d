using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// NDR 2.0 little-endian encoder for response stubs: a growing buffer, primitives aligned to their size
/// relative to the stub start, referent ids for non-null pointers handed out as 0x00020000, +4, ...
/// (any non-zero value is valid; this is the sequence Windows and Samba use).
/// </summary>
internal sealed class NdrWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;
    private uint _nextReferent = 0x00020000;

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Align(int n)
    {
        int aligned = (_length + n - 1) & ~(n - 1);
        Grow(aligned - _length).Clear();
    }

    public void WriteUInt32(uint value)
    {
        Align(4);
        BinaryPrimitives.WriteUInt32LittleEndian(Grow(4), value);
    }

    /// <summary>Writes a pointer's referent id: a fresh non-zero id, or 0 for null.</summary>
    public void WritePointer(bool present)
    {
        WriteUInt32(present ? NextReferent() : 0);
    }

    /// <summary>[string] wchar_t* pointee: max_count = actual_count = length + 1, offset 0, the chars, a NUL.</summary>
    public void WriteConformantVaryingString(string value)
    {
        uint count = (uint)value.Length + 1;
        WriteUInt32(count);
        WriteUInt32(0);
        WriteUInt32(count);
        Span<byte> chars = Grow((int)count * 2);
        for (int i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(chars.Slice(i * 2), value[i]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(chars.Slice(value.Length * 2), 0);
    }

    private uint NextReferent()
    {
        uint id = _nextReferent;
        _nextReferent += 4;
        return id;
    }

    private Span<byte> Grow(int n)
    {
        if (_length + n > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
        }

        Span<byte> span = _buffer.AsSpan(_length, n);
        _length += n;
        return span;
    }
}
