using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Gateway.Rpc;

// RFC 4506 encoder, the mirror of XdrReader. It writes into an IBufferWriter<byte>
// (normally a PooledBufferWriter that already holds the reply header), so a procedure
// can write results of any size without knowing them up front. Every write is
// GetSpan(n) → fill → Advance(n): no allocation as long as the underlying writer has none.
// Padding is always written as zeros (RFC 4506 §4.9, §4.10).
public ref struct XdrWriter
{
    private readonly IBufferWriter<byte> _output;
    private int _bytesWritten;

    public XdrWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _bytesWritten = 0;
    }

    // Bytes written through this writer (not the total of the underlying buffer).
    public readonly int BytesWritten => _bytesWritten;

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_output.GetSpan(4), value);
        Commit(4);
    }

    public void WriteInt32(int value) => WriteUInt32(unchecked((uint)value));

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_output.GetSpan(8), value);
        Commit(8);
    }

    public void WriteInt64(long value) => WriteUInt64(unchecked((ulong)value));

    public void WriteBool(bool value) => WriteUInt32(value ? 1u : 0u);

    // opaque[n]: the bytes then zero padding; the length is implied by the type, not written.
    public void WriteOpaqueFixed(ReadOnlySpan<byte> data)
    {
        int padded = XdrReader.PaddedLength(data.Length);
        Span<byte> span = _output.GetSpan(padded);
        data.CopyTo(span);
        span.Slice(data.Length, padded - data.Length).Clear();
        Commit(padded);
    }

    // opaque<>: a 4-byte length, the bytes, zero padding.
    public void WriteOpaque(ReadOnlySpan<byte> data)
    {
        WriteUInt32((uint)data.Length);
        WriteOpaqueFixed(data);
    }

    // string<>: UTF-8 encoded straight into the output (no intermediate byte[]).
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = Encoding.UTF8.GetByteCount(value);
        int padded = XdrReader.PaddedLength(length);
        Span<byte> span = _output.GetSpan(4 + padded);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        int written = Encoding.UTF8.GetBytes(value, span.Slice(4));
        span.Slice(4 + written, padded - written).Clear();
        Commit(4 + padded);
    }

    // Reserves an opaque<> of a known length and returns its data span for the caller to
    // fill in place (a READ reply can read file data straight into the reply buffer).
    // The length word and the zero padding are written here; the span must be filled
    // before the next write on this writer (PooledBufferWriter keeps it in place until then).
    public Span<byte> WriteOpaqueInPlace(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int padded = XdrReader.PaddedLength(length);
        Span<byte> span = _output.GetSpan(4 + padded);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)length);
        span.Slice(4 + length, padded - length).Clear();
        Commit(4 + padded);
        return span.Slice(4, length);
    }

    private void Commit(int count)
    {
        _output.Advance(count);
        _bytesWritten += count;
    }
}
