using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class XdrReaderTests
{
    // RFC 4506 §7, "An Example of an XDR Data Description": the file "sillyprog", an EXEC
    // whose interpretor is "lisp", owned by "john", holding the data "(quit)".
    internal const string Rfc4506FileExample =
        "00000009 7369 6c6c 7970 726f 6700 0000" + // filename<> "sillyprog" + 3 bytes fill
        "00000002" +                              // filekind EXEC = 2
        "00000004 6c69 7370" +                    // interpretor<> "lisp"
        "00000004 6a6f 686e" +                    // owner<> "john"
        "00000006 2871 7569 7429 0000";           // data<> "(quit)" + 2 bytes fill

    [Fact]
    public void Reads_the_rfc4506_file_example()
    {
        var reader = new XdrReader(Hex.Bytes(Rfc4506FileExample));

        Assert.Equal("sillyprog", reader.ReadString(255));
        Assert.Equal(2u, reader.ReadUInt32());
        Assert.Equal("lisp", reader.ReadString(1024));
        Assert.Equal("john", reader.ReadString(16));
        Assert.Equal("(quit)"u8.ToArray(), reader.ReadOpaque(65535).ToArray());
        reader.EnsureFullyConsumed();
        Assert.Equal(48, reader.Position);
    }

    [Theory]
    [InlineData("00000000", 0)]
    [InlineData("00000001", 1)]
    [InlineData("7fffffff", int.MaxValue)]
    [InlineData("ffffffff", -1)]
    [InlineData("fffffffe", -2)]
    [InlineData("80000000", int.MinValue)]
    public void Reads_big_endian_twos_complement_ints(string hex, int expected)
    {
        var reader = new XdrReader(Hex.Bytes(hex));
        Assert.Equal(expected, reader.ReadInt32());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Reads_unsigned_int_and_hypers()
    {
        var reader = new XdrReader(Hex.Bytes("fffffffe 0102030405060708 fffffffffffffffe 8000000000000000"));
        Assert.Equal(0xFFFF_FFFEu, reader.ReadUInt32());
        Assert.Equal(0x0102_0304_0506_0708ul, reader.ReadUInt64());
        Assert.Equal(-2L, reader.ReadInt64());
        Assert.Equal(long.MinValue, reader.ReadInt64());
    }

    [Theory]
    [InlineData("00000000", false)]
    [InlineData("00000001", true)]
    public void Reads_bools(string hex, bool expected)
    {
        var reader = new XdrReader(Hex.Bytes(hex));
        Assert.Equal(expected, reader.ReadBool());
    }

    [Theory]
    [InlineData("00000000", "")]
    [InlineData("00000001 61000000", "a")]
    [InlineData("00000003 616263 00", "abc")]
    [InlineData("00000004 61626364", "abcd")]
    [InlineData("00000005 6162636465 000000", "abcde")]
    public void Reads_strings_with_padding_to_four_bytes(string hex, string expected)
    {
        var reader = new XdrReader(Hex.Bytes(hex));
        Assert.Equal(expected, reader.ReadString(16));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void Reads_fixed_opaque_with_padding_and_no_length_word()
    {
        var reader = new XdrReader(Hex.Bytes("010203 00 ff"));
        Assert.Equal(new byte[] { 1, 2, 3 }, reader.ReadOpaqueFixed(3).ToArray());
        Assert.Equal(4, reader.Position);
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void Nested_reader_sees_only_the_opaque_body()
    {
        var reader = new XdrReader(Hex.Bytes("00000008 00000007 00000009 0000002a"));
        XdrReader inner = reader.ReadOpaqueReader(400);
        Assert.Equal(7u, inner.ReadUInt32());
        Assert.Equal(9u, inner.ReadUInt32());
        Assert.False(inner.HasData);
        Assert.Equal(42u, reader.ReadUInt32());
    }

    public static TheoryData<string, string> MalformedInputs => new()
    {
        { "uint from 3 bytes", "000000" },
        { "hyper from 7 bytes", "00000000000000" },
        { "bool = 2", "00000002" },
        { "bool = 0xffffffff", "ffffffff" },
        { "opaque length 5 above max 4", "00000005 0102030405 000000" },
        { "opaque length 8 above the 4 bytes left", "00000008 01020304" },
        { "opaque length 0xffffffff", "ffffffff 01020304" },
        { "opaque length 0x7fffffff", "7fffffff 01020304" },
        { "opaque missing its padding", "00000003 010203" },
        { "opaque with non-zero padding", "00000001 01 000100" },
        { "string with non-zero padding", "00000002 6162 ff00" },
        { "string length above max", "00000011 00000000000000000000000000000000 00000000" },
        { "length word cut short", "0000" },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Malformed_input_throws_XdrException(string what, string hex)
    {
        byte[] bytes = Hex.Bytes(hex);
        var e = Assert.Throws<XdrException>(() => ReadAccordingTo(what, bytes));
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Trailing_bytes_fail_EnsureFullyConsumed()
    {
        Assert.Throws<XdrException>(() =>
        {
            var reader = new XdrReader(Hex.Bytes("00000001 00000002"));
            reader.ReadUInt32();
            reader.EnsureFullyConsumed();
        });
    }

    [Fact]
    public void A_rejected_length_leaves_the_position_on_the_length_word()
    {
        var reader = new XdrReader(Hex.Bytes("00000009 01020304"));
        try
        {
            reader.ReadOpaque(4);
            Assert.Fail("expected XdrException");
        }
        catch (XdrException)
        {
        }

        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void Fixed_opaque_of_huge_length_is_rejected_without_overflow()
    {
        Assert.Throws<XdrException>(() =>
        {
            var reader = new XdrReader(new byte[8]);
            reader.ReadOpaqueFixed(int.MaxValue);
        });
    }

    [Fact]
    public void Reading_numbers_and_opaque_slices_allocates_nothing()
    {
        byte[] data = Hex.Bytes(Rfc4506FileExample);
        Sum(data); // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 1000; i++)
        {
            total += Sum(data);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(total > 0);
        Assert.Equal(0, allocated);

        static int Sum(byte[] data)
        {
            var reader = new XdrReader(data);
            int n = reader.ReadOpaque(255).Length;
            n += (int)reader.ReadUInt32();
            n += reader.ReadOpaque(255).Length;
            n += reader.ReadOpaque(255).Length;
            n += reader.ReadOpaque(255).Length;
            return n;
        }
    }

    private static void ReadAccordingTo(string what, byte[] bytes)
    {
        var reader = new XdrReader(bytes);
        if (what.StartsWith("hyper", StringComparison.Ordinal))
        {
            reader.ReadUInt64();
        }
        else if (what.StartsWith("bool", StringComparison.Ordinal))
        {
            reader.ReadBool();
        }
        else if (what.StartsWith("string", StringComparison.Ordinal))
        {
            reader.ReadString(16);
        }
        else if (what.StartsWith("uint", StringComparison.Ordinal))
        {
            reader.ReadUInt32();
        }
        else
        {
            reader.ReadOpaque(what.Contains("max 4", StringComparison.Ordinal) ? 4 : int.MaxValue);
        }
    }
}
