namespace Gateway.Smb.Security;

/// <summary>
/// Writes DER into a span front to back. The caller computes sizes bottom-up with <see cref="TlvSize"/> and
/// writes each header before its contents, which keeps this free of allocations and back-patching.
/// </summary>
internal ref struct DerWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public DerWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    /// <summary>Bytes a TLV with this many content bytes takes.</summary>
    public static int TlvSize(int contentLength) => LengthSize(contentLength) + 1 + contentLength;

    public void WriteHeader(byte tag, int contentLength)
    {
        _buffer[_position++] = tag;
        if (contentLength < 0x80)
        {
            _buffer[_position++] = (byte)contentLength;
            return;
        }

        int count = LengthSize(contentLength) - 1;
        _buffer[_position++] = (byte)(0x80 | count);
        for (int i = count - 1; i >= 0; i--)
        {
            _buffer[_position++] = (byte)(contentLength >> (8 * i));
        }
    }

    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    public void WriteElement(byte tag, scoped ReadOnlySpan<byte> contents)
    {
        WriteHeader(tag, contents.Length);
        WriteRaw(contents);
    }

    private static int LengthSize(int contentLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(contentLength);
        if (contentLength < 0x80)
        {
            return 1;
        }

        if (contentLength <= 0xFF)
        {
            return 2;
        }

        if (contentLength <= 0xFFFF)
        {
            return 3;
        }

        return contentLength <= 0xFFFFFF ? 4 : 5;
    }
}
