using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Smb.Protocol;

/// <summary>Bounds-checked little-endian helpers for command bodies (offsets are relative to the span).</summary>
internal static class Wire
{
    public static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    public static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    public static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
    public static void U16(Span<byte> b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b[at..], v);
    public static void U32(Span<byte> b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b[at..], v);
    public static void U64(Span<byte> b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b[at..], v);

    /// <summary>
    /// A buffer named by an offset from the start of the SMB2 header and a length; false when any
    /// part of it lies outside the message. A zero length is always valid (empty span).
    /// </summary>
    public static bool TrySlice(ReadOnlySpan<byte> message, uint offsetFromHeader, uint length, out ReadOnlySpan<byte> slice)
    {
        slice = default;
        if (length == 0)
            return true;
        if (offsetFromHeader > (uint)message.Length || length > (uint)message.Length - offsetFromHeader)
            return false;
        slice = message.Slice((int)offsetFromHeader, (int)length);
        return true;
    }

    /// <summary>
    /// UTF-16LE without a terminator, decoded losslessly: a lone surrogate stays one (the Vfs
    /// spells on-disk name bytes that are not UTF-8 as U+DC80..U+DCFF), where Encoding.Unicode
    /// would turn it into U+FFFD and so name another file. A trailing odd byte is dropped.
    /// </summary>
    public static string Utf16(ReadOnlySpan<byte> b) =>
        BitConverter.IsLittleEndian
            ? new string(MemoryMarshal.Cast<byte, char>(b[..(b.Length & ~1)]))
            : Encoding.Unicode.GetString(b[..(b.Length & ~1)]);
}
