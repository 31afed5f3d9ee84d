using Gateway.Smb.Info;
using Gateway.Vfs;

namespace Gateway.Smb.Tests.Info;

public class DosAttributeMapTests
{
    [Fact]
    public void PlainFileIsNormalAlone() => Assert.Equal(0x80u, DosAttributeMap.ToWire(TestNodes.File()));

    [Fact]
    public void OwnerWithoutWriteBitIsReadOnly() => Assert.Equal(0x1u, DosAttributeMap.ToWire(TestNodes.File(mode: 0x124 /* 0444 */)));

    [Fact]
    public void StoredBitsAreKept() =>
        Assert.Equal(0x22u, DosAttributeMap.ToWire(TestNodes.File(dos: DosAttributes.Archive | DosAttributes.Hidden)));

    [Fact]
    public void DirectoryGetsTheDirectoryBitAndNoTemporary()
    {
        Assert.Equal(0x10u, DosAttributeMap.ToWire(TestNodes.Directory()));
        Assert.Equal(0x12u, DosAttributeMap.ToWire(TestNodes.Directory(dos: DosAttributes.Hidden | DosAttributes.Temporary)));
    }

    [Fact]
    public void FactsOfTheNodeOverrideStoredLies()
    {
        // A stored DIRECTORY/COMPRESSED/ENCRYPTED bit on a regular file is not shown.
        var lying = TestNodes.File(dos: DosAttributes.Directory | DosAttributes.Compressed | DosAttributes.Encrypted);
        Assert.Equal(0x80u, DosAttributeMap.ToWire(lying));
    }

    [Fact]
    public void SymlinkIsAReparsePoint() => Assert.Equal(0x400u, DosAttributeMap.ToWire(TestNodes.Symlink()));
}
