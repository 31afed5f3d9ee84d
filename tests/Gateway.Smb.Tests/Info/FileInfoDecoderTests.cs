using System.Buffers.Binary;
using System.Text;
using Gateway.Smb.Info;

namespace Gateway.Smb.Tests.Info;

public class FileInfoDecoderTests
{
    private static byte[] Basic(long c, long a, long w, long ch, uint attributes, int size = 40)
    {
        var b = new byte[size];
        BinaryPrimitives.WriteInt64LittleEndian(b, c);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), a);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), w);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(24), ch);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(32), attributes);
        return b;
    }

    private static byte[] Rename(bool replace, ulong root, string name, int? lengthOverride = null)
    {
        byte[] nameBytes = Encoding.Unicode.GetBytes(name);
        var b = new byte[20 + nameBytes.Length];
        b[0] = replace ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(8), root);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)(lengthOverride ?? nameBytes.Length));
        nameBytes.CopyTo(b, 20);
        return b;
    }

    [Fact]
    public void BasicReadsAllFields()
    {
        Assert.True(FileInfoDecoder.TryBasic(Basic(1, -1, 0, 133_444_737_000_000_000, 0x21), out long c, out long a, out long w, out long ch, out uint attr));
        Assert.Equal((1L, -1L, 0L, 133_444_737_000_000_000L, 0x21u), (c, a, w, ch, attr));
    }

    [Fact]
    public void BasicAccepts36BytesButNotLessOrTimesBelowMinusTwo()
    {
        Assert.True(FileInfoDecoder.TryBasic(Basic(0, 0, 0, 0, 0, size: 36), out _, out _, out _, out _, out _));
        Assert.False(FileInfoDecoder.TryBasic(new byte[35], out _, out _, out _, out _, out _));
        Assert.True(FileInfoDecoder.TryBasic(Basic(-2, 0, 0, 0, 0), out _, out _, out _, out _, out _));
        Assert.False(FileInfoDecoder.TryBasic(Basic(-3, 0, 0, 0, 0), out _, out _, out _, out _, out _));
    }

    [Fact]
    public void RenameType2Layout()
    {
        Assert.True(FileInfoDecoder.TryRename(Rename(true, 0, "dir\\new name.txt"), out bool replace, out ulong root, out string name));
        Assert.True(replace);
        Assert.Equal(0ul, root);
        Assert.Equal("dir\\new name.txt", name);

        Assert.True(FileInfoDecoder.TryLink(Rename(false, 0, "hard"), out bool linkReplace, out string linkName));
        Assert.False(linkReplace);
        Assert.Equal("hard", linkName);
    }

    [Fact]
    public void RenameLengthsAreNotTrusted()
    {
        Assert.False(FileInfoDecoder.TryRename(Rename(true, 0, "abc", lengthOverride: 8), out _, out _, out _)); // past the end
        Assert.False(FileInfoDecoder.TryRename(Rename(true, 0, "abc", lengthOverride: 5), out _, out _, out _)); // odd
        Assert.False(FileInfoDecoder.TryRename(Rename(true, 0, "abc", lengthOverride: 0), out _, out _, out _)); // empty
        Assert.False(FileInfoDecoder.TryRename(Rename(true, 0, "abc", lengthOverride: -1), out _, out _, out _)); // 0xFFFFFFFF
        Assert.False(FileInfoDecoder.TryRename(new byte[19], out _, out _, out _));
        Assert.False(FileInfoDecoder.TryLink(new byte[19], out _, out _));
    }

    [Fact]
    public void SmallClasses()
    {
        Assert.True(FileInfoDecoder.TryDisposition([1], out bool del) && del);
        Assert.True(FileInfoDecoder.TryDisposition([0], out del) && !del);
        Assert.False(FileInfoDecoder.TryDisposition([], out _));

        Assert.True(FileInfoDecoder.TryDispositionEx([0x03, 0, 0, 0], out uint flags));
        Assert.Equal(3u, flags);
        Assert.False(FileInfoDecoder.TryDispositionEx([1, 0, 0], out _));

        Assert.True(FileInfoDecoder.TryEndOfFile(BitConverter.GetBytes(12345L), out long eof));
        Assert.Equal(12345, eof);
        Assert.False(FileInfoDecoder.TryEndOfFile(BitConverter.GetBytes(-1L), out _));
        Assert.False(FileInfoDecoder.TryEndOfFile(new byte[7], out _));
        Assert.True(FileInfoDecoder.TryAllocation(BitConverter.GetBytes(1L << 40), out long alloc));
        Assert.Equal(1L << 40, alloc);
        Assert.True(FileInfoDecoder.TryPosition(BitConverter.GetBytes(0L), out long pos));
        Assert.Equal(0, pos);
    }

    [Fact]
    public void ModeOnlyTheSettableBits()
    {
        Assert.True(FileInfoDecoder.TryMode(BitConverter.GetBytes(0x22u), out uint mode));
        Assert.Equal(0x22u, mode);
        Assert.False(FileInfoDecoder.TryMode(BitConverter.GetBytes(0x1000u), out _)); // FILE_DELETE_ON_CLOSE
        Assert.False(FileInfoDecoder.TryMode(BitConverter.GetBytes(0x30u), out _));   // both synchronous modes
        Assert.False(FileInfoDecoder.TryMode(new byte[3], out _));
    }
}
