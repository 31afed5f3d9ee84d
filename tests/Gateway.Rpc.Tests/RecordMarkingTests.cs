using System.Buffers;
using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class RecordMarkingTests
{
    private const int Max = 1024;

    [Fact]
    public void Reads_a_single_fragment_record_and_advances_past_it()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Bytes("80000005 0102030405 ff"));

        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord record));
        using (record)
        {
            Assert.Equal("0102030405", Hex.Of(record.Span));
        }

        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Joins_the_fragments_of_a_multi_fragment_record()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Bytes("00000002 0102  00000000  00000003 030405  80000001 06"));

        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord record));
        using (record)
        {
            Assert.Equal("010203040506", Hex.Of(record.Span));
        }

        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Reads_two_records_back_to_back()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Bytes("80000001 aa 80000002 bbcc"));

        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord first));
        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord second));
        Assert.Equal("aa", Hex.Of(first.Span));
        Assert.Equal("bbcc", Hex.Of(second.Span));
        first.Dispose();
        second.Dispose();
        Assert.False(RecordMarking.TryReadRecord(ref buffer, Max, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Reads_a_multi_fragment_record_split_across_buffer_segments(int pieceSize)
    {
        byte[] wire = Hex.Bytes("00000003 010203  00000004 04050607  80000002 0809  80000001 ee");
        ReadOnlySequence<byte> buffer = Segments.Split(wire, pieceSize);
        Assert.False(buffer.IsSingleSegment);

        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord record));
        using (record)
        {
            Assert.Equal("010203040506070809", Hex.Of(record.Span));
        }

        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord next));
        Assert.Equal("ee", Hex.Of(next.Span));
        next.Dispose();
    }

    [Fact]
    public void Returns_false_until_the_whole_record_is_buffered()
    {
        byte[] wire = Hex.Bytes("00000002 0102 80000003 030405");
        for (int length = 0; length < wire.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(wire, 0, length);
            ReadOnlySequence<byte> before = partial;
            Assert.False(RecordMarking.TryReadRecord(ref partial, Max, out _));
            Assert.Equal(before.Length, partial.Length); // nothing consumed
        }
    }

    [Fact]
    public void An_empty_last_fragment_is_an_empty_record()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Bytes("80000000"));
        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord record));
        Assert.Equal(0, record.Length);
        record.Dispose();
    }

    [Theory]
    [InlineData("80000401")]          // one byte above the limit, last fragment
    [InlineData("00000401")]          // one byte above, not last
    [InlineData("ffffffff")]          // 2^31 - 1, last
    [InlineData("7fffffff")]          // 2^31 - 1, not last
    public void A_fragment_above_the_limit_is_rejected_from_its_header_alone(string header)
    {
        // Only the header is buffered: the limit is checked before waiting for the data.
        var buffer = new ReadOnlySequence<byte>(Hex.Bytes(header));
        Assert.Throws<RpcConnectionException>(() => RecordMarking.TryReadRecord(ref buffer, Max, out _));
    }

    [Fact]
    public void An_accumulated_record_above_the_limit_is_rejected_at_the_fragment_that_crosses_it()
    {
        // 768 bytes, then a header announcing 257 more: 1025 > 1024, data never sent.
        byte[] wire = [.. Hex.Bytes("00000300"), .. new byte[0x300], .. Hex.Bytes("80000101")];
        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.Throws<RpcConnectionException>(() => RecordMarking.TryReadRecord(ref buffer, Max, out _));
    }

    [Fact]
    public void A_record_exactly_at_the_limit_is_accepted()
    {
        byte[] wire = [.. Hex.Bytes("00000200"), .. new byte[0x200], .. Hex.Bytes("80000200"), .. new byte[0x200]];
        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.True(RecordMarking.TryReadRecord(ref buffer, Max, out PooledRecord record));
        Assert.Equal(Max, record.Length);
        record.Dispose();
    }

    [Fact]
    public void A_maximal_length_header_allocates_no_record_buffer()
    {
        byte[] wire = Hex.Bytes("ffffffff 00000000");
        Reject(wire); // warm up (JIT, exception machinery)
        long before = GC.GetAllocatedBytesForCurrentThread();
        Reject(wire);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The exception and its message are all; a record buffer would be 2 GiB.
        Assert.InRange(allocated, 0, 16 * 1024);

        static void Reject(byte[] wire)
        {
            var buffer = new ReadOnlySequence<byte>(wire);
            try
            {
                RecordMarking.TryReadRecord(ref buffer, RpcServerOptions.DefaultMaxRecordSize, out _);
                Assert.Fail("expected RpcConnectionException");
            }
            catch (RpcConnectionException)
            {
            }
        }
    }

    [Fact]
    public void Too_many_fragments_close_the_connection()
    {
        var parts = new List<byte>();
        for (int i = 0; i <= RecordMarking.MaxFragmentsPerRecord; i++)
        {
            parts.AddRange(Hex.Bytes("00000000"));
        }

        var buffer = new ReadOnlySequence<byte>(parts.ToArray());
        Assert.Throws<RpcConnectionException>(() => RecordMarking.TryReadRecord(ref buffer, Max, out _));
    }

    [Fact]
    public void Writes_a_single_last_fragment_header()
    {
        var header = new byte[4];
        RecordMarking.WriteHeader(header, 0x1c);
        Assert.Equal("8000001c", Hex.Of(header));
    }
}
