using System.Buffers.Binary;
using System.Text;

namespace Gateway.Rpc;

// RFC 4506 decoder: a cursor over one buffer (dotnet/runtime AsnValueReader shape).
// Every item is a multiple of four bytes, big-endian:
//
//   int / unsigned int / enum / bool      hyper / unsigned hyper
//   +----+----+----+----+                 +----+----+ ... +----+
//   | b0 | b1 | b2 | b3 |                 | b0 | b1 | ... | b7 |
//   +----+----+----+----+                 +----+----+ ... +----+
//
//   fixed opaque[n]                       variable opaque<m> / string<m>
//   +--------+ ... +--------+---+         +----------+--------+ ... +---+
//   | byte 0 | ... | n-1    | 0 |         | length n | byte 0 | ... | 0 |
//   +--------+ ... +--------+---+         +----------+--------+ ... +---+
//   |<------ n bytes ------>|<r>|                    |<- n bytes ->|<r>|  (n + r) mod 4 = 0
//
// Policy on padding: RFC 4506 §4.9/4.10 define the r residual bytes as zero, and this
// reader rejects non-zero padding with XdrException (GARBAGE_ARGS). Linux and libtirpc
// clients always send zeros; accepting garbage there would only hide a broken encoder.
//
// Lengths are never trusted: each is checked against the caller's bound AND the bytes
// left before anything is sliced or allocated.
public ref struct XdrReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public XdrReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool HasData => _position < _buffer.Length;

    // The bytes not read yet (for example the procedure arguments after a call header).
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer.Slice(_position);

    public uint ReadUInt32()
    {
        if (Remaining < 4)
        {
            throw Short(4);
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return value;
    }

    public int ReadInt32() => unchecked((int)ReadUInt32());

    public ulong ReadUInt64()
    {
        if (Remaining < 8)
        {
            throw Short(8);
        }

        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_buffer.Slice(_position, 8));
        _position += 8;
        return value;
    }

    public long ReadInt64() => unchecked((long)ReadUInt64());

    // RFC 4506 §4.4: bool is an enum { FALSE = 0, TRUE = 1 }; anything else is malformed.
    public bool ReadBool()
    {
        uint value = ReadUInt32();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new XdrException($"bool must be 0 or 1, got {value} at offset {_position - 4}"),
        };
    }

    // opaque identifier[n]: n bytes then padding to a multiple of four.
    public ReadOnlySpan<byte> ReadOpaqueFixed(int length)
    {
        if (length < 0)
        {
            throw new XdrException($"negative fixed opaque length {length}");
        }

        // In a long: a length near int.MaxValue must not wrap around when padded.
        long paddedLong = ((long)length + 3) & ~3L;
        if (Remaining < paddedLong)
        {
            throw new XdrException($"need {paddedLong} bytes at offset {_position}, {Remaining} left");
        }

        int padded = (int)paddedLong;
        ReadOnlySpan<byte> data = _buffer.Slice(_position, length);
        CheckPadding(_buffer.Slice(_position + length, padded - length));
        _position += padded;
        return data;
    }

    // opaque identifier<maxLength>: a 4-byte length, the bytes, padding.
    public ReadOnlySpan<byte> ReadOpaque(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        int start = _position;
        uint declared = ReadUInt32();
        if (declared > (uint)maxLength)
        {
            _position = start;
            throw new XdrException($"opaque length {declared} exceeds the bound {maxLength} at offset {start}");
        }

        // declared <= maxLength <= int.MaxValue, so the padded length fits in a long without overflow.
        long padded = ((long)declared + 3) & ~3L;
        if (Remaining < padded)
        {
            _position = start;
            throw new XdrException($"opaque length {declared} exceeds the {Remaining} bytes left at offset {start}");
        }

        return ReadOpaqueFixed((int)declared);
    }

    // string identifier<maxLength>, decoded as UTF-8 (invalid sequences become U+FFFD).
    // Use ReadOpaque when the bytes themselves matter (file names stay bytes until the Vfs).
    public string ReadString(int maxLength)
    {
        ReadOnlySpan<byte> bytes = ReadOpaque(maxLength);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    // A nested reader over an opaque<maxLength> body (an RPC credential, a GSS token):
    // the outer reader moves past the body, the inner one can read only inside it.
    public XdrReader ReadOpaqueReader(int maxLength) => new(ReadOpaque(maxLength));

    public void Skip(int length) => ReadOpaqueFixed(length);

    public readonly void EnsureFullyConsumed()
    {
        if (Remaining != 0)
        {
            throw new XdrException($"{Remaining} unexpected trailing bytes at offset {_position}");
        }
    }

    public static int PaddedLength(int length) => (length + 3) & ~3;

    private readonly void CheckPadding(ReadOnlySpan<byte> padding)
    {
        for (int i = 0; i < padding.Length; i++)
        {
            if (padding[i] != 0)
            {
                throw new XdrException($"non-zero padding at offset {_position}");
            }
        }
    }

    private readonly XdrException Short(int needed) =>
        new($"need {needed} bytes at offset {_position}, {Remaining} left");
}
