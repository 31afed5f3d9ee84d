using Gateway.Smb.Info;
using Gateway.Vfs;
using static Gateway.Smb.Tests.Info.TestNodes;

namespace Gateway.Smb.Tests.Info;

public class FileInfoEncoderTests
{
    private static readonly OpenFileContext Open = new(
        FileId: 42, Position: 4096, Mode: 0x20 /* FILE_SYNCHRONOUS_IO_NONALERT */, AccessMask: 0x0012019F,
        DeletePending: false, FileName: "\\dir\\a.txt", EaSize: 0);

    private static byte[] Encode(int infoClass, VfsAttributes a, OpenFileContext? open = null, int size = 1024)
    {
        var buffer = new byte[size];
        int n = FileInfoEncoder.Encode(infoClass, a, open ?? Open, buffer);
        Assert.True(n >= 0, $"class {infoClass} returned {n}");
        return buffer.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void BasicIs40BytesTimesThenAttributes()
    {
        byte[] b = Encode(FileInformationClass.Basic, File());
        Assert.Equal(40, b.Length);
        Assert.Equal(CreateFt, I64(b, 0));
        Assert.Equal(AccessFt, I64(b, 8));
        Assert.Equal(ModifyFt, I64(b, 16));
        Assert.Equal(ChangeFt, I64(b, 24));
        Assert.Equal(DosAttributeMap.Normal, U32(b, 32));
        Assert.Equal(0u, U32(b, 36));
    }

    [Fact]
    public void StandardForAFile()
    {
        byte[] b = Encode(FileInformationClass.Standard, File(size: 5000, used: 5000, nlink: 2));
        Assert.Equal(24, b.Length);
        Assert.Equal(8192, I64(b, 0));   // AllocationSize: Used rounded up to 4096
        Assert.Equal(5000, I64(b, 8));   // EndOfFile
        Assert.Equal(2u, U32(b, 16));    // NumberOfLinks
        Assert.Equal(0, b[20]);          // DeletePending
        Assert.Equal(0, b[21]);          // Directory
    }

    [Fact]
    public void StandardForADirectoryAndADeletePendingFile()
    {
        byte[] dir = Encode(FileInformationClass.Standard, Directory());
        Assert.Equal(0, I64(dir, 0));
        Assert.Equal(0, I64(dir, 8));
        Assert.Equal(1u, U32(dir, 16));
        Assert.Equal(1, dir[21]);

        byte[] doomed = Encode(FileInformationClass.Standard, File(nlink: 1), Open with { DeletePending = true });
        Assert.Equal(0u, U32(doomed, 16));
        Assert.Equal(1, doomed[20]);
    }

    [Fact]
    public void AllIsTheParts_EndToEnd_NameAt100()
    {
        var a = File();
        byte[] all = Encode(FileInformationClass.All, a);
        int nameBytes = Open.FileName.Length * 2;
        Assert.Equal(100 + nameBytes, all.Length);
        Assert.Equal(Encode(FileInformationClass.Basic, a), all[0..40]);
        Assert.Equal(Encode(FileInformationClass.Standard, a), all[40..64]);
        Assert.Equal(42ul, U64(all, 64));          // Internal: IndexNumber
        Assert.Equal(0u, U32(all, 72));            // Ea
        Assert.Equal(0x0012019Fu, U32(all, 76));   // Access
        Assert.Equal(4096, I64(all, 80));          // Position
        Assert.Equal(0x20u, U32(all, 88));         // Mode
        Assert.Equal(0u, U32(all, 92));            // Alignment
        Assert.Equal((uint)nameBytes, U32(all, 96));
        Assert.Equal("\\dir\\a.txt", Utf16(all, 100, nameBytes));
    }

    [Fact]
    public void NetworkOpenIs56Bytes()
    {
        byte[] b = Encode(FileInformationClass.NetworkOpen, File(size: 1, used: 4096));
        Assert.Equal(56, b.Length);
        Assert.Equal(CreateFt, I64(b, 0));
        Assert.Equal(ChangeFt, I64(b, 24));
        Assert.Equal(4096, I64(b, 32));
        Assert.Equal(1, I64(b, 40));
        Assert.Equal(DosAttributeMap.Normal, U32(b, 48));
        Assert.Equal(0u, U32(b, 52));
    }

    [Fact]
    public void StreamInformationHasOneDataStreamForFilesAndNoneForDirectories()
    {
        byte[] b = Encode(FileInformationClass.Stream, File(size: 5000, used: 8192));
        Assert.Equal(24 + 14, b.Length);
        Assert.Equal(0u, U32(b, 0));
        Assert.Equal(14u, U32(b, 4));
        Assert.Equal(5000, I64(b, 8));
        Assert.Equal(8192, I64(b, 16));
        Assert.Equal("::$DATA", Utf16(b, 24, 14));
        Assert.Empty(Encode(FileInformationClass.Stream, Directory()));
    }

    [Fact]
    public void SmallFixedClasses()
    {
        Assert.Equal(BitConverter.GetBytes(42ul), Encode(FileInformationClass.Internal, File()));
        Assert.Equal(BitConverter.GetBytes(0u), Encode(FileInformationClass.Ea, File()));
        Assert.Equal(BitConverter.GetBytes(0x0012019Fu), Encode(FileInformationClass.Access, File()));
        Assert.Equal(BitConverter.GetBytes(4096L), Encode(FileInformationClass.Position, File()));
        Assert.Equal(BitConverter.GetBytes(0x20u), Encode(FileInformationClass.Mode, File()));
        Assert.Equal(BitConverter.GetBytes(0u), Encode(FileInformationClass.Alignment, File()));

        byte[] name = Encode(FileInformationClass.Name, File());
        Assert.Equal(4 + 20, name.Length);
        Assert.Equal(20u, U32(name, 0));
        Assert.Equal("\\dir\\a.txt", Utf16(name, 4, 20));

        byte[] compression = Encode(FileInformationClass.Compression, File(size: 777));
        Assert.Equal(16, compression.Length);
        Assert.Equal(777, I64(compression, 0));
        Assert.All(compression[8..], x => Assert.Equal(0, x));

        byte[] id = Encode(FileInformationClass.Id, File());
        Assert.Equal(24, id.Length);
        Assert.Equal(0xABCDEFul, U64(id, 0));
        Assert.Equal(42ul, U64(id, 8));
        Assert.Equal(0ul, U64(id, 16));
    }

    [Fact]
    public void AttributeTagCarriesTheSymlinkReparseTag()
    {
        byte[] link = Encode(FileInformationClass.AttributeTag, Symlink());
        Assert.Equal(DosAttributeMap.ReparsePoint, U32(link, 0));
        Assert.Equal(0xA000000Cu, U32(link, 4));
        byte[] file = Encode(FileInformationClass.AttributeTag, File());
        Assert.Equal(0u, U32(file, 4));
    }

    [Theory]
    [InlineData(FileInformationClass.Basic)]
    [InlineData(FileInformationClass.Standard)]
    [InlineData(FileInformationClass.Internal)]
    [InlineData(FileInformationClass.Ea)]
    [InlineData(FileInformationClass.Access)]
    [InlineData(FileInformationClass.Name)]
    [InlineData(FileInformationClass.Position)]
    [InlineData(FileInformationClass.Mode)]
    [InlineData(FileInformationClass.Alignment)]
    [InlineData(FileInformationClass.All)]
    [InlineData(FileInformationClass.Stream)]
    [InlineData(FileInformationClass.Compression)]
    [InlineData(FileInformationClass.NetworkOpen)]
    [InlineData(FileInformationClass.AttributeTag)]
    [InlineData(FileInformationClass.NormalizedName)]
    [InlineData(FileInformationClass.Id)]
    public void OneByteShortIsMinusOne(int infoClass)
    {
        int full = Encode(infoClass, File()).Length;
        Assert.True(FileInfoEncoder.IsSupported(infoClass));
        Assert.True(FileInfoEncoder.MinimumSize(infoClass) <= full);
        Assert.Equal(-1, FileInfoEncoder.Encode(infoClass, File(), Open, new byte[full - 1]));
    }

    [Fact]
    public void NormalizedNameHasNoLeadingBackslashAndIsEmptyForTheRoot()
    {
        byte[] b = Encode(FileInformationClass.NormalizedName, File());
        Assert.Equal(18u, U32(b, 0));
        Assert.Equal("dir\\a.txt", Utf16(b, 4, 18));
        byte[] root = Encode(FileInformationClass.NormalizedName, Directory(), Open with { FileName = "\\" });
        Assert.Equal(new byte[4], root);
    }

    // smbtorture smb2.getinfo.qfile_buffercheck: below these sizes Windows answers INFO_LENGTH_MISMATCH.
    [Theory]
    [InlineData(4, 40)]
    [InlineData(5, 24)]
    [InlineData(6, 8)]
    [InlineData(7, 4)]
    [InlineData(8, 4)]
    [InlineData(16, 4)]
    [InlineData(17, 4)]
    [InlineData(18, 104)]
    [InlineData(22, 32)]
    [InlineData(28, 16)]
    [InlineData(34, 56)]
    [InlineData(35, 8)]
    public void MinimumSizesMatchWindows(int infoClass, int fixedSize) =>
        Assert.Equal(fixedSize, FileInfoEncoder.MinimumSize(infoClass));

    [Theory]
    [InlineData(FileInformationClass.FullEa)]
    [InlineData(FileInformationClass.AlternateName)]
    [InlineData(FileInformationClass.Pipe)]
    [InlineData(999)]
    public void UnsupportedClassesSaySo(int infoClass)
    {
        Assert.False(FileInfoEncoder.IsSupported(infoClass));
        Assert.Equal(int.MinValue, FileInfoEncoder.Encode(infoClass, File(), Open, new byte[1024]));
    }
}
