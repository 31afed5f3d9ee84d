using Gateway.Smb.Info;
using Gateway.Vfs;
using static Gateway.Smb.Tests.Info.TestNodes;

namespace Gateway.Smb.Tests.Info;

public class DirectoryInfoEncoderTests
{
    private static byte[] Encode(int infoClass, string name, VfsAttributes a, uint index = 0)
    {
        var buffer = new byte[1024];
        int n = DirectoryInfoEncoder.Encode(infoClass, name, a, index, buffer);
        Assert.True(n > 0);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Theory]
    [InlineData(FileInformationClass.Directory, 64)]
    [InlineData(FileInformationClass.FullDirectory, 68)]
    [InlineData(FileInformationClass.BothDirectory, 94)]
    [InlineData(FileInformationClass.IdBothDirectory, 104)]
    [InlineData(FileInformationClass.IdFullDirectory, 80)]
    [InlineData(FileInformationClass.IdExtdDirectory, 88)]
    public void CommonHeadAndNameOffset(int infoClass, int nameOffset)
    {
        byte[] b = Encode(infoClass, "report.pdf", File(size: 5000, used: 5000), index: 3);
        Assert.Equal(nameOffset + 20, b.Length);
        Assert.Equal(0u, U32(b, 0));          // NextEntryOffset: the caller links
        Assert.Equal(3u, U32(b, 4));          // FileIndex
        Assert.Equal(CreateFt, I64(b, 8));
        Assert.Equal(AccessFt, I64(b, 16));
        Assert.Equal(ModifyFt, I64(b, 24));
        Assert.Equal(ChangeFt, I64(b, 32));
        Assert.Equal(5000, I64(b, 40));       // EndOfFile
        Assert.Equal(8192, I64(b, 48));       // AllocationSize
        Assert.Equal(0x80u, U32(b, 56));      // FILE_ATTRIBUTE_NORMAL
        Assert.Equal(20u, U32(b, 60));        // FileNameLength
        Assert.Equal("report.pdf", Utf16(b, nameOffset, 20));
        if (infoClass != FileInformationClass.Directory) Assert.Equal(0u, U32(b, 64)); // EaSize
    }

    [Fact]
    public void BothHasAnEmptyShortName()
    {
        byte[] b = Encode(FileInformationClass.BothDirectory, "a-very-long-file-name.txt", File());
        Assert.Equal(0, b[68]);                   // ShortNameLength
        Assert.All(b[69..94], x => Assert.Equal(0, x));
    }

    [Fact]
    public void IdClassesCarryTheNodeId()
    {
        byte[] idBoth = Encode(FileInformationClass.IdBothDirectory, "x", File(node: 0x0102030405060708));
        Assert.Equal(0, U16(idBoth, 94));                       // Reserved2
        Assert.Equal(0x0102030405060708ul, U64(idBoth, 96));
        byte[] idFull = Encode(FileInformationClass.IdFullDirectory, "x", File(node: 77));
        Assert.Equal(0u, U32(idFull, 68));                      // Reserved
        Assert.Equal(77ul, U64(idFull, 72));
        byte[] extd = Encode(FileInformationClass.IdExtdDirectory, "x", File(node: 78));
        Assert.Equal(78ul, U64(extd, 72));
        Assert.Equal(0ul, U64(extd, 80));
    }

    [Fact]
    public void DirectoriesShowZeroSizes()
    {
        byte[] b = Encode(FileInformationClass.IdBothDirectory, "sub", Directory());
        Assert.Equal(0, I64(b, 40));
        Assert.Equal(0, I64(b, 48));
        Assert.Equal(0x10u, U32(b, 56));
    }

    [Fact]
    public void SymlinkPutsTheReparseTagInEaSize()
    {
        byte[] full = Encode(FileInformationClass.IdBothDirectory, "link", Symlink());
        Assert.Equal(0x400u, U32(full, 56) & 0x400);
        Assert.Equal(0xA000000Cu, U32(full, 64));
        byte[] extd = Encode(FileInformationClass.IdExtdDirectory, "link", Symlink());
        Assert.Equal(0u, U32(extd, 64));
        Assert.Equal(0xA000000Cu, U32(extd, 68));
    }

    [Fact]
    public void NamesIsTwelveBytesThenTheName()
    {
        byte[] b = Encode(FileInformationClass.Names, "abc", File(), index: 9);
        Assert.Equal(12 + 6, b.Length);
        Assert.Equal(9u, U32(b, 4));
        Assert.Equal(6u, U32(b, 8));
        Assert.Equal("abc", Utf16(b, 12, 6));
    }

    [Fact]
    public void EntriesChainAtEightByteBoundaries()
    {
        var buffer = new byte[512];
        int first = DirectoryInfoEncoder.Encode(FileInformationClass.IdBothDirectory, "a", File(), 0, buffer);
        Assert.Equal(106, first);
        int next = DirectoryInfoEncoder.Align(first);
        Assert.Equal(112, next);
        int second = DirectoryInfoEncoder.Encode(FileInformationClass.IdBothDirectory, "bb", File(), 0, buffer.AsSpan(next));
        DirectoryInfoEncoder.Link(buffer, next);
        Assert.Equal(112u, U32(buffer, 0));
        Assert.Equal(0u, U32(buffer, next));
        Assert.Equal("bb", Utf16(buffer, next + 104, 4));
        Assert.Equal(108, second);
    }

    [Fact]
    public void TooSmallAndUnsupported()
    {
        Assert.Equal(-1, DirectoryInfoEncoder.Encode(FileInformationClass.BothDirectory, "abc", File(), 0, new byte[94 + 5]));
        Assert.False(DirectoryInfoEncoder.IsSupported(FileInformationClass.Basic));
        Assert.True(DirectoryInfoEncoder.IsSupported(FileInformationClass.IdBothDirectory));
        Assert.Equal(-1, DirectoryInfoEncoder.Encode(FileInformationClass.Basic, "abc", File(), 0, new byte[512]));
    }
}
