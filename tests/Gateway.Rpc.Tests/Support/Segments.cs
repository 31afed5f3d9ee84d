using System.Buffers;

namespace Gateway.Rpc.Tests.Support;

// Builds a multi-segment ReadOnlySequence, the shape a Pipe hands out when a record
// arrives in several reads.
internal static class Segments
{
    public static ReadOnlySequence<byte> Create(params byte[][] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    // Cuts data into pieces of the given size (the last may be shorter).
    public static ReadOnlySequence<byte> Split(byte[] data, int pieceSize)
    {
        var parts = new List<byte[]>();
        for (int i = 0; i < data.Length; i += pieceSize)
        {
            parts.Add(data.AsSpan(i, Math.Min(pieceSize, data.Length - i)).ToArray());
        }

        return Create([.. parts]);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
