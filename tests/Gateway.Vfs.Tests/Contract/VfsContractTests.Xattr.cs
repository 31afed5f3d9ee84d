namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void Xattrs_can_be_set_read_listed_and_removed()
    {
        var f = CreateFile("f");
        Assert.Equal(VfsStatus.Ok, Vfs.SetXattr(Root, f, "colour", "blue"u8).Status);
        Assert.Equal(VfsStatus.Ok, Vfs.SetXattr(Root, f, "size", "L"u8).Status);
        Assert.Equal("blue"u8.ToArray(), Vfs.GetXattr(Root, f, "colour").Value);
        Assert.Equal(["colour", "size"], Vfs.ListXattr(Root, f).Value.Order());
        Assert.Equal(VfsStatus.Exists, Vfs.SetXattr(Root, f, "colour", "red"u8, XattrSetMode.CreateOnly).Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.SetXattr(Root, f, "absent", "x"u8, XattrSetMode.ReplaceOnly).Status);
        Assert.Equal(VfsStatus.Ok, Vfs.RemoveXattr(Root, f, "colour").Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.GetXattr(Root, f, "colour").Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.RemoveXattr(Root, f, "colour").Status);
    }

    [Fact]
    public void Xattrs_live_in_the_user_namespace_on_disk()
    {
        var d = MakeDir("d");
        Vfs.SetXattr(Root, d, "k", "v"u8);
        Assert.Equal("v", Support.Disk.Run("getfattr", "-n", "user.k", "--only-values", Tree.At("d")));
    }

    [Fact]
    public void Xattrs_on_symlinks_and_fifos_are_NotSupported()
    {
        var s = Vfs.Symlink(Root, Vfs.Root, "s", "/etc/passwd").Value.Node;
        Assert.Equal(VfsStatus.NotSupported, Vfs.SetXattr(Root, s, "k", "v"u8).Status);
        Assert.Equal(VfsStatus.NotSupported, Vfs.GetXattr(Root, s, "k").Status);
        var p = Vfs.Mknod(Root, Vfs.Root, "p", FileType.Fifo, 0x1A4).Value.Node;
        Assert.Equal(VfsStatus.NotSupported, Vfs.ListXattr(Root, p).Status);
    }
}
