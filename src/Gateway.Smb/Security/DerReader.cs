namespace Gateway.Smb.Security;

/// <summary>
/// A cursor over DER (X.690) bytes, just enough for SPNEGO: single-byte tags (low tag numbers), definite
/// lengths of at most 4 length octets, and a nesting depth limit. Nothing throws: every read is a Try that
/// leaves the cursor where it was on failure, so a hostile token can only make parsing return false.
/// </summary>
internal ref struct DerReader
{
    public const int MaxDepth = 8;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _depth;
    private int _position;

    public DerReader(ReadOnlySpan<byte> buffer)
        : this(buffer, 0)
    {
    }

    private DerReader(ReadOnlySpan<byte> buffer, int depth)
    {
        _buffer = buffer;
        _depth = depth;
        _position = 0;
    }

    public readonly bool HasData => _position < _buffer.Length;

    public readonly int Position => _position;

    /// <summary>The tag of the next element, without consuming it.</summary>
    public readonly bool TryPeekTag(out byte tag)
    {
        tag = 0;
        if (_position >= _buffer.Length)
        {
            return false;
        }

        tag = _buffer[_position];
        return true;
    }

    /// <summary>Reads one TLV: its tag, its contents and the whole encoding (tag and length included).</summary>
    public bool TryReadElement(out byte tag, out ReadOnlySpan<byte> contents, out ReadOnlySpan<byte> encoded)
    {
        tag = 0;
        contents = default;
        encoded = default;
        ReadOnlySpan<byte> rest = _buffer[_position..];
        if (rest.Length < 2)
        {
            return false;
        }

        byte t = rest[0];
        if ((t & 0x1F) == 0x1F)
        {
            return false; // high tag number form: nothing in SPNEGO uses it
        }

        int length;
        int headerLength;
        byte first = rest[1];
        if (first < 0x80)
        {
            length = first;
            headerLength = 2;
        }
        else
        {
            int count = first & 0x7F;
            if (count == 0 || count > 4 || rest.Length < 2 + count)
            {
                return false; // indefinite length (BER, not DER) or absurd
            }

            long value = 0;
            for (int i = 0; i < count; i++)
            {
                value = (value << 8) | rest[2 + i];
            }

            if (value > int.MaxValue)
            {
                return false;
            }

            length = (int)value;
            headerLength = 2 + count;
        }

        if (length > rest.Length - headerLength)
        {
            return false;
        }

        tag = t;
        contents = rest.Slice(headerLength, length);
        encoded = rest[..(headerLength + length)];
        _position += headerLength + length;
        return true;
    }

    /// <summary>Reads an element with the expected tag; fails (without moving) on any other tag.</summary>
    public bool TryReadExpected(byte expectedTag, out ReadOnlySpan<byte> contents)
    {
        contents = default;
        if (!TryPeekTag(out byte tag) || tag != expectedTag)
        {
            return false;
        }

        int saved = _position;
        if (!TryReadElement(out _, out contents, out _))
        {
            _position = saved;
            return false;
        }

        return true;
    }

    /// <summary>Reads a constructed element with the expected tag and returns a reader over its contents.</summary>
    public bool TryReadConstructed(byte expectedTag, out DerReader inner)
    {
        inner = default;
        if (_depth >= MaxDepth || (expectedTag & 0x20) == 0)
        {
            return false;
        }

        if (!TryReadExpected(expectedTag, out ReadOnlySpan<byte> contents))
        {
            return false;
        }

        inner = new DerReader(contents, _depth + 1);
        return true;
    }

    /// <summary>Skips the next element whatever it is.</summary>
    public bool TrySkip() => TryReadElement(out _, out _, out _);
}
