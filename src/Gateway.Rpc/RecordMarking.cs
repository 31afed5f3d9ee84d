using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Rpc;

// RFC 5531 §11, record marking for stream transports. A record is one or more fragments;
// each fragment is a 4-byte header followed by its data:
//
//   +-+-------------------------------+----------------------+
//   |L|  fragment length (31 bits)    |  fragment data ...   |
//   +-+-------------------------------+----------------------+
//    L = 1 on the last fragment of the record (0x80000000)
//
// Stateless, in the shape of Kestrel's Http2FrameReader: returns false until a whole
// record is buffered, and rejects a fragment whose length would take the record above
// maxRecordSize as soon as its header is seen, before waiting for (or buffering) the data.
public static class RecordMarking
{
    public const int HeaderLength = 4;
    public const uint LastFragmentBit = 0x8000_0000;
    public const uint LengthMask = 0x7FFF_FFFF;

    // A record of N fragments is rescanned from its first header on every read until it is
    // complete, so the count is bounded (libtirpc sends 64 KiB fragments: 1 MiB is 16).
    public const int MaxFragmentsPerRecord = 1024;

    // Scans buffer for one complete record. On success the record is copied (fragment
    // headers removed) into a pooled array, buffer is advanced past it, and true returned.
    // Throws RpcConnectionException on a fragment or record above maxRecordSize, or too
    // many fragments; no memory is rented in that case.
    public static bool TryReadRecord(ref ReadOnlySequence<byte> buffer, int maxRecordSize, out PooledRecord record)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRecordSize);
        record = default;

        // Pass 1: walk the headers without copying; validate every length before skipping it.
        var reader = new SequenceReader<byte>(buffer);
        long total = 0;
        int fragments = 0;
        while (true)
        {
            if (!reader.TryReadBigEndian(out int rawHeader))
            {
                return false;
            }

            uint header = unchecked((uint)rawHeader);
            uint length = header & LengthMask;
            bool last = (header & LastFragmentBit) != 0;
            fragments++;
            if (length > maxRecordSize - total)
            {
                throw new RpcConnectionException(
                    $"RPC fragment of {length} bytes takes the record to {total + length} bytes, above the limit of {maxRecordSize}");
            }

            if (fragments > MaxFragmentsPerRecord)
            {
                throw new RpcConnectionException($"RPC record has more than {MaxFragmentsPerRecord} fragments");
            }

            if (reader.Remaining < length)
            {
                return false;
            }

            reader.Advance(length);
            total += length;
            if (last)
            {
                break;
            }
        }

        // Pass 2: the whole record is here; copy the fragment bodies into one pooled array.
        byte[] array = total == 0 ? [] : ArrayPool<byte>.Shared.Rent((int)total);
        var copier = new SequenceReader<byte>(buffer);
        int offset = 0;
        for (int i = 0; i < fragments; i++)
        {
            copier.TryReadBigEndian(out int rawHeader);
            int length = (int)(unchecked((uint)rawHeader) & LengthMask);
            copier.TryCopyTo(array.AsSpan(offset, length));
            copier.Advance(length);
            offset += length;
        }

        buffer = buffer.Slice(copier.Position);
        record = new PooledRecord(array, (int)total);
        return true;
    }

    // Writes a single last-fragment header: every reply is sent as one fragment.
    public static void WriteHeader(Span<byte> destination, int recordLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recordLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination, LastFragmentBit | (uint)recordLength);
    }
}
