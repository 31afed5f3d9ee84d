using System.Buffers;
using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class XdrWriterTests
{
    [Fact]
    public void Writes_the_rfc4506_file_example_byte_for_byte()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        writer.WriteString("sillyprog");
        writer.WriteUInt32(2);
        writer.WriteString("lisp");
        writer.WriteString("john");
        writer.WriteOpaque("(quit)"u8);

        Assert.Equal(Hex.Of(Hex.Bytes(XdrReaderTests.Rfc4506FileExample)), Hex.Of(buffer.WrittenSpan));
        Assert.Equal(48, writer.BytesWritten);
    }

    [Fact]
    public void Writes_numbers_big_endian()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        writer.WriteInt32(-2);
        writer.WriteUInt32(0x01020304);
        writer.WriteInt64(-1);
        writer.WriteUInt64(0x0102_0304_0506_0708);
        writer.WriteBool(true);
        writer.WriteBool(false);

        Assert.Equal("fffffffe" + "01020304" + "ffffffffffffffff" + "0102030405060708" + "00000001" + "00000000",
            Hex.Of(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(0, "00000000")]
    [InlineData(1, "00000001 aa000000")]
    [InlineData(2, "00000002 aaaa0000")]
    [InlineData(3, "00000003 aaaaaa00")]
    [InlineData(4, "00000004 aaaaaaaa")]
    [InlineData(5, "00000005 aaaaaaaa aa000000")]
    public void Opaque_is_zero_padded_to_four_bytes(int length, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        writer.WriteOpaque(Enumerable.Repeat((byte)0xaa, length).ToArray());
        Assert.Equal(Hex.Of(Hex.Bytes(expected)), Hex.Of(buffer.WrittenSpan));
    }

    [Fact]
    public void Padding_is_zero_even_when_the_buffer_held_garbage()
    {
        using var pooled = new PooledBufferWriter(64);
        pooled.GetSpan(64).Fill(0xee);
        var writer = new XdrWriter(pooled);
        writer.WriteOpaqueFixed([1]);
        writer.WriteString("ab");
        Span<byte> inPlace = writer.WriteOpaqueInPlace(1);
        inPlace[0] = 7;

        Assert.Equal(Hex.Of(Hex.Bytes("01000000 00000002 61620000 00000001 07000000")), Hex.Of(pooled.WrittenSpan));
    }

    [Fact]
    public void Strings_round_trip_as_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        writer.WriteString("héllo wörld");
        var reader = new XdrReader(buffer.WrittenSpan);
        Assert.Equal("héllo wörld", reader.ReadString(64));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Writing_into_a_pooled_buffer_allocates_nothing()
    {
        using var pooled = new PooledBufferWriter(4096);
        WriteSome(pooled); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            pooled.Clear();
            WriteSome(pooled);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void WriteSome(PooledBufferWriter output)
        {
            var writer = new XdrWriter(output);
            writer.WriteUInt32(1);
            writer.WriteUInt64(2);
            writer.WriteBool(true);
            writer.WriteOpaque("file name"u8);
            writer.WriteString("machine");
        }
    }
}
