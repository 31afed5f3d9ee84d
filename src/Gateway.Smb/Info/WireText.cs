using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Smb.Info;

// Names travel as UTF-16LE without a terminator. A .NET string is already UTF-16, so on a
// little-endian host its bytes are copied as they are: lone surrogates in a name that came
// from a client survive the round trip instead of turning into U+FFFD.
internal static class WireText
{
    public static int ByteCount(ReadOnlySpan<char> text) => text.Length * 2;

    public static void Write(Span<byte> destination, ReadOnlySpan<char> text)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(text).CopyTo(destination);
        }
        else
        {
            Encoding.Unicode.GetBytes(text, destination);
        }
    }

    /// <summary>Decodes UTF-16LE; false when the byte count is odd.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out string text)
    {
        if ((source.Length & 1) != 0)
        {
            text = string.Empty;
            return false;
        }

        text = BitConverter.IsLittleEndian
            ? new string(MemoryMarshal.Cast<byte, char>(source))
            : Encoding.Unicode.GetString(source);
        return true;
    }
}
