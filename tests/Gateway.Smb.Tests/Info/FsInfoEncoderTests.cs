using Gateway.Smb.Info;
using Gateway.Vfs;
using static Gateway.Smb.Tests.Info.TestNodes;

namespace Gateway.Smb.Tests.Info;

public class FsInfoEncoderTests
{
    private static readonly FsStats Stats = new(
        TotalBytes: 1L << 30, FreeBytes: 600L << 20, AvailableBytes: 500L << 20,
        TotalFiles: 1000, FreeFiles: 900, AvailableFiles: 900, BlockSize: 4096, MaxNameLength: 255, FsId: 0x1122334455667788);

    private static byte[] Encode(int infoClass, int size = 512)
    {
        var buffer = new byte[size];
        int n = FsInfoEncoder.Encode(infoClass, Stats, "share", 0xCAFEBABE, 132_000_000_000_000_000, buffer);
        Assert.True(n >= 0);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void Volume()
    {
        byte[] b = Encode(FsInformationClass.Volume);
        Assert.Equal(18 + 10, b.Length);
        Assert.Equal(132_000_000_000_000_000, I64(b, 0));
        Assert.Equal(0xCAFEBABEu, U32(b, 8));
        Assert.Equal(10u, U32(b, 12));
        Assert.Equal(0, b[16]);
        Assert.Equal("share", Utf16(b, 18, 10));
    }

    [Fact]
    public void SizeCountsFourKilobyteUnitsOfEightSectors()
    {
        byte[] b = Encode(FsInformationClass.Size);
        Assert.Equal(24, b.Length);
        Assert.Equal(262_144ul, U64(b, 0));
        Assert.Equal(128_000ul, U64(b, 8));   // available to the caller
        Assert.Equal(8u, U32(b, 16));
        Assert.Equal(512u, U32(b, 20));
    }

    [Fact]
    public void FullSizeSeparatesCallerAndActualFreeSpace()
    {
        byte[] b = Encode(FsInformationClass.FullSize);
        Assert.Equal(32, b.Length);
        Assert.Equal(262_144ul, U64(b, 0));
        Assert.Equal(128_000ul, U64(b, 8));
        Assert.Equal(153_600ul, U64(b, 16));
        Assert.Equal(8u, U32(b, 24));
        Assert.Equal(512u, U32(b, 28));
    }

    [Fact]
    public void DeviceIsAMountedDisk()
    {
        byte[] b = Encode(FsInformationClass.Device);
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0x20, 0, 0, 0 }, b);
    }

    [Fact]
    public void AttributeSaysNtfsWithPosixCaseAndAcls()
    {
        byte[] b = Encode(FsInformationClass.Attribute);
        Assert.Equal(12 + 8, b.Length);
        uint flags = U32(b, 0);
        foreach (uint bit in new uint[] { 0x1, 0x2, 0x4, 0x8, 0x40 })
        {
            Assert.Equal(bit, flags & bit);
        }

        Assert.Equal(255u, U32(b, 4));
        Assert.Equal(8u, U32(b, 8));
        Assert.Equal("NTFS", Utf16(b, 12, 8));
    }

    [Fact]
    public void SectorSize()
    {
        byte[] b = Encode(FsInformationClass.SectorSize);
        Assert.Equal(28, b.Length);
        Assert.Equal(512u, U32(b, 0));
        Assert.Equal(4096u, U32(b, 4));
        Assert.Equal(4096u, U32(b, 8));
        Assert.Equal(4096u, U32(b, 12));
        Assert.Equal(3u, U32(b, 16));
        Assert.Equal(0u, U32(b, 20));
        Assert.Equal(0u, U32(b, 24));
    }

    [Fact]
    public void ObjectIdIsStablePerVolume()
    {
        byte[] b = Encode(FsInformationClass.ObjectId);
        Assert.Equal(64, b.Length);
        Assert.Equal(0x1122334455667788ul, U64(b, 0));
        Assert.Equal(0xCAFEBABEu, U32(b, 8));
        Assert.All(b[16..], x => Assert.Equal(0, x));
    }

    [Theory]
    [InlineData(FsInformationClass.Volume)]
    [InlineData(FsInformationClass.Size)]
    [InlineData(FsInformationClass.Device)]
    [InlineData(FsInformationClass.Attribute)]
    [InlineData(FsInformationClass.FullSize)]
    [InlineData(FsInformationClass.ObjectId)]
    [InlineData(FsInformationClass.SectorSize)]
    public void OneByteShortIsMinusOne(int infoClass)
    {
        int full = Encode(infoClass).Length;
        Assert.Equal(-1, FsInfoEncoder.Encode(infoClass, Stats, "share", 1, 1, new byte[full - 1]));
        Assert.True(FsInfoEncoder.MinimumSize(infoClass) <= full);
    }

    // smbtorture smb2.getinfo.qfs_buffercheck's table (Control, 6, is not answered here).
    [Theory]
    [InlineData(1, 24)]
    [InlineData(3, 24)]
    [InlineData(4, 8)]
    [InlineData(5, 16)]
    [InlineData(7, 32)]
    [InlineData(11, 28)]
    public void MinimumSizesMatchWindows(int infoClass, int fixedSize) =>
        Assert.Equal(fixedSize, FsInfoEncoder.MinimumSize(infoClass));

    [Fact]
    public void ControlAndLabelAreNotAnswered() =>
        Assert.Equal(int.MinValue, FsInfoEncoder.Encode(FsInformationClass.Control, Stats, "x", 1, 1, new byte[512]));
}
