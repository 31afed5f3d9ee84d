namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void Lookup_finds_a_file_made_on_disk_and_returns_a_stable_nonzero_id()
    {
        File.WriteAllText(Tree.At("hello.txt"), "hi");
        var first = Vfs.Lookup(Root, Vfs.Root, "hello.txt");
        Assert.Equal(VfsStatus.Ok, first.Status);
        Assert.NotEqual(0UL, first.Value.Node.Value);
        Assert.Equal(FileType.Regular, first.Value.Attributes.Type);
        Assert.Equal(2UL, first.Value.Attributes.Size);
        Assert.Equal(first.Value.Node, Vfs.Lookup(Root, Vfs.Root, "hello.txt").Value.Node);
    }

    [Fact]
    public void Root_never_has_fileid_zero()
    {
        Assert.NotEqual(0UL, Vfs.Root.Value);
        Assert.Equal(Vfs.Root, Vfs.GetAttr(Vfs.Root).Value.Node);
    }

    [Fact]
    public void Lookup_of_missing_name_is_NotFound() =>
        Assert.Equal(VfsStatus.NotFound, Vfs.Lookup(Root, Vfs.Root, "nope").Status);

    [Fact]
    public void Lookup_of_dotdot_at_export_root_returns_root()
    {
        var r = Vfs.Lookup(Root, Vfs.Root, "..");
        Assert.Equal(VfsStatus.Ok, r.Status);
        Assert.Equal(Vfs.Root, r.Value.Node);
    }

    [Fact]
    public void Lookup_of_dot_and_dotdot_in_a_subdirectory()
    {
        var d = MakeDir("d");
        Assert.Equal(d, Vfs.Lookup(Root, d, ".").Value.Node);
        Assert.Equal(Vfs.Root, Vfs.Lookup(Root, d, "..").Value.Node);
    }

    [Fact]
    public void Lookup_in_a_regular_file_is_NotDirectory()
    {
        var f = CreateFile("f");
        Assert.Equal(VfsStatus.NotDirectory, Vfs.Lookup(Root, f, "x").Status);
    }

    [Theory]
    [InlineData("a/b", VfsStatus.InvalidName)]
    [InlineData("/etc", VfsStatus.InvalidName)]
    [InlineData("..", VfsStatus.InvalidName)]
    [InlineData(".", VfsStatus.InvalidName)]
    [InlineData("", VfsStatus.InvalidName)]
    [InlineData("nul\0byte", VfsStatus.InvalidName)]
    public void Bad_names_are_refused_by_every_namespace_operation(string name, VfsStatus expected)
    {
        var f = CreateFile("existing");
        Assert.Equal(expected, Vfs.Create(Root, Vfs.Root, name, CreateHow.Unchecked()).Status);
        Assert.Equal(expected, Vfs.Mkdir(Root, Vfs.Root, name).Status);
        Assert.Equal(expected, Vfs.Symlink(Root, Vfs.Root, name, "target").Status);
        Assert.Equal(expected, Vfs.Mknod(Root, Vfs.Root, name, FileType.Fifo, 0x1A4).Status);
        Assert.Equal(expected, Vfs.Remove(Root, Vfs.Root, name).Status);
        Assert.Equal(expected, Vfs.Rmdir(Root, Vfs.Root, name).Status);
        Assert.Equal(expected, Vfs.Rename(Root, Vfs.Root, "existing", Vfs.Root, name).Status);
        Assert.Equal(expected, Vfs.Link(Root, f, Vfs.Root, name).Status);
        Assert.True(File.Exists(Tree.At("existing")));
        Assert.Single(Directory.GetFileSystemEntries(Tree.Root));
    }

    [Fact]
    public void A_name_longer_than_255_bytes_is_NameTooLong()
    {
        var name = new string('é', 128); // 256 bytes in UTF-8
        Assert.Equal(VfsStatus.NameTooLong, Vfs.Create(Root, Vfs.Root, name, CreateHow.Unchecked()).Status);
        Assert.Equal(VfsStatus.NameTooLong, Vfs.Lookup(Root, Vfs.Root, name).Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Create(Root, Vfs.Root, new string('a', 255), CreateHow.Unchecked()).Status);
    }

    [Fact]
    public void LookupPath_walks_subdirectories_and_refuses_dotdot()
    {
        var d = MakeDir("a");
        var b = MakeDir("b", d);
        Assert.Equal(b, Vfs.LookupPath(Root, "/a/b/").Value);
        Assert.Equal(Vfs.Root, Vfs.LookupPath(Root, "/").Value);
        Assert.Equal(VfsStatus.InvalidName, Vfs.LookupPath(Root, "a/../..").Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.LookupPath(Root, "a/missing").Status);
    }
}
