using System.Buffers;

namespace Gateway.Nfs.V3.Xdr;

/// <summary>
/// An IBufferWriter over a span of memory reserved elsewhere, so an XdrWriter can fill a reply
/// header in place after the data behind it (READ: data read straight into the reply buffer,
/// then the attributes and count in front of it). Throws if the reservation is exceeded.
/// </summary>
internal sealed class FixedBufferWriter : IBufferWriter<byte>
{
    private readonly Memory<byte> _memory;
    private int _written;

    public FixedBufferWriter(Memory<byte> memory) => _memory = memory;

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _memory.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_memory.Length - _written < Math.Max(sizeHint, 1)) throw new InvalidOperationException("the reserved reply space is full");
        return _memory[_written..];
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
