using System.Text;

namespace Gateway.Vfs.Tests;

/// <summary>The byte ⇄ string mapping of names: lossless for any bytes, unchanged for UTF-8, strict the other way.</summary>
public sealed class NameEncodingTests
{
    private static byte[] Encode(string s)
    {
        var buffer = new byte[NameEncoding.GetMaxByteCount(s.Length)];
        Assert.True(NameEncoding.TryEncode(s, buffer, out var n), $"not encodable: {Units(s)}");
        Assert.Equal(n, NameEncoding.GetByteCount(s));
        return buffer[..n];
    }

    /// <summary>
    /// Theory strings with lone surrogates are written escaped (@"\uDCFF") and unescaped here: xunit
    /// serializes theory data as UTF-8 during discovery, which would turn them into U+FFFD.
    /// </summary>
    internal static string Unescape(string s) => System.Text.RegularExpressions.Regex.Unescape(s);

    private static string Units(string s) => string.Join(' ', s.Select(c => ((int)c).ToString("X4")));

    private static void AssertRoundTrip(byte[] bytes)
    {
        var s = NameEncoding.Decode(bytes);
        Assert.True(NameEncoding.IsValid(s), Convert.ToHexString(bytes));
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(Encode(s)));
        Assert.Equal(!System.Text.Unicode.Utf8.IsValid(bytes), NameEncoding.HasEscapes(s));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain.txt")]
    [InlineData("ünïcödé")]
    [InlineData("日本語")]
    [InlineData("emoji😀")]
    [InlineData("\uFEFFbom")]
    [InlineData("\uFFFDreplacement")]
    [InlineData("\U0010FFFF\u0080\u07FF\u0800\uFFFF")]
    public void Valid_UTF8_decodes_as_Encoding_UTF8_does_and_encodes_to_the_same_bytes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(text, NameEncoding.Decode(bytes));
        Assert.Equal(bytes, Encode(text));
        Assert.False(NameEncoding.HasEscapes(text));
    }

    [Fact]
    public void Random_valid_UTF8_is_decoded_exactly_as_before()
    {
        var rng = new Random(20261124);
        for (var i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder();
            var length = rng.Next(0, 40);
            for (var k = 0; k < length; k++)
            {
                int cp;
                do cp = rng.Next(4) switch { 0 => rng.Next(0x20, 0x80), 1 => rng.Next(0x80, 0x800), 2 => rng.Next(0x800, 0x10000), _ => rng.Next(0x10000, 0x110000) };
                while (cp is >= 0xD800 and <= 0xDFFF);
                sb.Append(char.ConvertFromUtf32(cp));
            }
            var text = sb.ToString();
            var bytes = Encoding.UTF8.GetBytes(text);
            Assert.Equal(Encoding.UTF8.GetString(bytes), NameEncoding.Decode(bytes));
            Assert.Equal(bytes, Encode(text));
        }
    }

    [Fact]
    public void Random_byte_strings_round_trip_exactly()
    {
        var rng = new Random(1813);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[rng.Next(0, 48)];
            for (var k = 0; k < bytes.Length; k++)
            {
                // Weighted towards the bytes that make UTF-8 interesting: continuations and lead bytes.
                bytes[k] = rng.Next(6) switch
                {
                    0 => (byte)rng.Next(0x00, 0x80),
                    1 or 2 => (byte)rng.Next(0x80, 0xC0),
                    3 => (byte)rng.Next(0xC0, 0xE0),
                    4 => (byte)rng.Next(0xE0, 0xF0),
                    _ => (byte)rng.Next(0xF0, 0x100),
                };
            }
            AssertRoundTrip(bytes);
        }
    }

    [Fact]
    public void Long_byte_strings_round_trip_beyond_the_stack_scratch()
    {
        var rng = new Random(7530);
        foreach (var length in new[] { 1023, 1024, 1025, 4096, 70_000 })
        {
            var bytes = new byte[length];
            rng.NextBytes(bytes);
            AssertRoundTrip(bytes);
        }
    }

    [Theory]
    [InlineData("66FF6F", @"f\uDCFFo")]
    [InlineData("80", @"\uDC80")]
    [InlineData("C0AF", @"\uDCC0\uDCAF")]                       // overlong '/'
    [InlineData("C180", @"\uDCC1\uDC80")]                       // 0xC1 never starts a valid sequence
    [InlineData("E080AF", @"\uDCE0\uDC80\uDCAF")]               // overlong, three bytes
    [InlineData("F08080AF", @"\uDCF0\uDC80\uDC80\uDCAF")]       // overlong, four bytes
    [InlineData("EDA080", @"\uDCED\uDCA0\uDC80")]               // U+D800 encoded in UTF-8
    [InlineData("EDBFBF", @"\uDCED\uDCBF\uDCBF")]               // U+DFFF encoded in UTF-8
    [InlineData("F4908080", @"\uDCF4\uDC90\uDC80\uDC80")]       // beyond U+10FFFF
    [InlineData("F5808080", @"\uDCF5\uDC80\uDC80\uDC80")]
    [InlineData("F888808080", @"\uDCF8\uDC88\uDC80\uDC80\uDC80")] // old five-byte form
    [InlineData("FEFF", @"\uDCFE\uDCFF")]
    [InlineData("E282", @"\uDCE2\uDC82")]                       // truncated at the end
    [InlineData("E28241", @"\uDCE2\uDC82A")]                    // truncated before ASCII
    [InlineData("F09F98", @"\uDCF0\uDC9F\uDC98")]
    [InlineData("C328", @"\uDCC3(")]
    [InlineData("C3A9FFC3A9", @"é\uDCFFé")]
    [InlineData("F09F988080", @"😀\uDC80")]                     // a pair, then a stray continuation
    [InlineData("E9", @"\uDCE9")]                               // Latin-1 é
    public void Bytes_outside_valid_sequences_escape_one_by_one(string hex, string expected)
    {
        expected = Unescape(expected);
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(Units(expected), Units(NameEncoding.Decode(bytes)));
        Assert.Equal(hex, Convert.ToHexString(Encode(expected)));
        Assert.True(NameEncoding.HasEscapes(expected));
    }

    [Theory]
    [InlineData(@"\uD800")]            // a high surrogate alone
    [InlineData(@"a\uDBFF")]           // ... at the end
    [InlineData(@"\uDBFFz")]
    [InlineData(@"\uDC00")]            // below the escape range: stands for no byte
    [InlineData(@"a\uDC7F")]
    [InlineData(@"\uDE00")]            // above the escape range
    [InlineData(@"\uDFFF")]
    [InlineData(@"\uDCC3\uDCA9")]      // escapes that spell "é": would decode to another string
    [InlineData(@"\uDCE2\uDC82\uDCAC")] // "€"
    [InlineData(@"x\uDCF0\uDC9F\uDC98\uDC80y")] // "😀"
    public void Strings_that_stand_for_no_byte_string_are_refused(string s)
    {
        s = Unescape(s);
        Assert.False(NameEncoding.IsValid(s));
        Assert.Equal(-1, NameEncoding.GetByteCount(s));
        Assert.False(NameEncoding.TryEncode(s, new byte[64], out _));
    }

    [Theory]
    [InlineData(@"\uDCC3(")]
    [InlineData(@"\uDCC3\u00A9")]      // C3 C2 A9: the stray C3 cannot take C2 as a continuation
    [InlineData(@"\uDCFF\uDCFF")]
    [InlineData(@"\uDCE2\uDC82")]
    public void Escapes_that_cannot_join_a_valid_sequence_are_valid(string s)
    {
        s = Unescape(s);
        Assert.True(NameEncoding.IsValid(s));
        Assert.Equal(s, NameEncoding.Decode(Encode(s)));
    }

    [Fact]
    public void A_destination_too_small_is_refused_not_overrun()
    {
        Assert.False(NameEncoding.TryEncode("abcd", new byte[3], out _));
        Assert.False(NameEncoding.TryEncode("a\uDCFFb", new byte[2], out _));
        Assert.False(NameEncoding.TryEncode("é\uDCFF", new byte[2], out _));
        Assert.True(NameEncoding.TryEncode("a\uDCFFb", new byte[3], out var n));
        Assert.Equal(3, n);
    }

    [Fact]
    public void Decode_refuses_a_destination_shorter_than_the_input()
    {
        Assert.Throws<ArgumentException>(() => NameEncoding.Decode([0xFF, 0xFF], new char[1]));
    }

    [Fact]
    public void Encoding_allocates_nothing_and_decoding_only_the_string()
    {
        var name = "old-archive-\uDCE9t\uDCE9-" + new string('x', 200) + "\uDCFF";
        var bytes = new byte[NameEncoding.GetMaxByteCount(name.Length)];
        var encoded = Encode(name);
        NameEncoding.Decode(encoded); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            NameEncoding.TryEncode(name, bytes, out _);
            NameEncoding.GetByteCount(name);
            NameEncoding.IsValid(name);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = NameEncoding.Decode(encoded);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(name, decoded);
        Assert.True(allocated <= 2 * name.Length + 64, $"{allocated} bytes for a {name.Length}-unit string");
    }

    /// <summary>The same mapping as Python's "surrogateescape", checked against Python itself on random bytes.</summary>
    [Fact]
    public async Task Decoding_matches_Pythons_surrogateescape()
    {
        var rng = new Random(5531);
        var inputs = new List<byte[]>();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[rng.Next(1, 24)];
            for (var k = 0; k < bytes.Length; k++)
                bytes[k] = rng.Next(3) == 0 ? (byte)rng.Next(0x20, 0x80) : (byte)rng.Next(0x80, 0x100);
            inputs.Add(bytes);
        }
        const string Script = """
            import sys
            for line in sys.stdin:
                s = bytes.fromhex(line.strip()).decode('utf-8', 'surrogateescape')
                print(s.encode('utf-16-le', 'surrogatepass').hex())
            """;
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var python = System.Diagnostics.Process.Start(psi)!;
        var output = python.StandardOutput.ReadToEndAsync();
        foreach (var b in inputs) await python.StandardInput.WriteLineAsync(Convert.ToHexString(b));
        python.StandardInput.Close();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await python.WaitForExitAsync();
        Assert.Equal(0, python.ExitCode);
        Assert.Equal(inputs.Count, lines.Length);
        for (var i = 0; i < inputs.Count; i++)
            Assert.Equal(Units(FromUtf16LeHex(lines[i])), Units(NameEncoding.Decode(inputs[i])));

        // Unit by unit: Encoding.Unicode would replace the lone surrogates this is about.
        static string FromUtf16LeHex(string hex)
        {
            var units = Convert.FromHexString(hex);
            var chars = new char[units.Length / 2];
            for (var i = 0; i < chars.Length; i++) chars[i] = (char)(units[2 * i] | (units[(2 * i) + 1] << 8));
            return new string(chars);
        }
    }
}
