using System.Buffers;

namespace Gateway.Rpc;

// One complete RPC record (fragments joined, headers stripped) in an ArrayPool array.
// The read loop must let go of the pipe's memory before a call runs concurrently, so
// every record is copied once into a buffer the call owns; Dispose returns it.
// A struct to avoid a per-record allocation: dispose it exactly once.
public readonly struct PooledRecord : IDisposable
{
    private readonly byte[]? _array;

    internal PooledRecord(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public void Dispose()
    {
        if (_array is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
    }
}
