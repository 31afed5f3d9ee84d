using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// NDR 2.0 (C706 chapter 14) decoder for little-endian stub data. Primitives are aligned to their size
/// relative to the start of the stub; a pointer is its 4-byte referent id (0 = null), the pointee follows
/// where the IDL's deferral rules put it, which the caller walks.
/// Lengths are never trusted: each is checked against a caller bound and the bytes left.
/// </summary>
internal ref struct NdrReader(ReadOnlySpan<byte> stub)
{
    private readonly ReadOnlySpan<byte> _stub = stub;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _stub.Length - _position;

    public void Align(int n)
    {
        int aligned = (_position + n - 1) & ~(n - 1);
        if (aligned > _stub.Length) throw new NdrException("padding past the end of the stub");
        _position = aligned;
    }

    public uint ReadUInt32()
    {
        Align(4);
        Need(4);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_stub.Slice(_position));
        _position += 4;
        return v;
    }

    public ushort ReadUInt16()
    {
        Align(2);
        Need(2);
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(_stub.Slice(_position));
        _position += 2;
        return v;
    }

    /// <summary>A unique/full pointer's referent id; 0 means null.</summary>
    public uint ReadPointer() => ReadUInt32();

    /// <summary>
    /// [string] wchar_t*: conformant varying array (max_count, offset, actual_count, then actual_count
    /// UTF-16 units, the last of which is normally the terminating NUL, dropped here).
    /// </summary>
    public string ReadConformantVaryingString(int maxChars)
    {
        uint max = ReadUInt32();
        uint offset = ReadUInt32();
        uint actual = ReadUInt32();
        if (offset != 0 || actual > max || actual > (uint)maxChars) throw new NdrException("bad string bounds");
        int bytes = (int)actual * 2;
        Need(bytes);
        ReadOnlySpan<byte> raw = _stub.Slice(_position, bytes);
        _position += bytes;
        int chars = (int)actual;
        if (chars > 0 && BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(bytes - 2)) == 0) chars--;
        var text = new char[chars];
        for (int i = 0; i < chars; i++)
        {
            text[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(raw.Slice(i * 2));
        }

        return new string(text);
    }

    private readonly void Need(int n)
    {
        if (n > Remaining) throw new NdrException("stub data ends early");
    }
}
