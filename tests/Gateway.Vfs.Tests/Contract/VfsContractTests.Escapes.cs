namespace Gateway.Vfs.Tests.Contract;

/// <summary>Nothing outside the export is ever reachable, whatever names, symlinks or handles a client sends.</summary>
public abstract partial class VfsContractTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Symlinks_pointing_out_are_never_followed(bool absolute)
    {
        var target = absolute ? Tree.Outside : "../outside";
        File.CreateSymbolicLink(Tree.At("out"), target);
        var link = Vfs.Lookup(Root, Vfs.Root, "out");
        Assert.Equal(VfsStatus.Ok, link.Status);
        Assert.Equal(FileType.Symlink, link.Value.Attributes.Type);
        var node = link.Value.Node;

        Assert.Equal(VfsStatus.NotDirectory, Vfs.Lookup(Root, node, "secret").Status);
        Assert.Equal(VfsStatus.NotDirectory, Vfs.Create(Root, node, "planted", CreateHow.Unchecked()).Status);
        Assert.Equal(VfsStatus.NotDirectory, Vfs.ReadDir(Root, node, 0, 10, false).Status);
        Assert.Equal(VfsStatus.Invalid, (await Vfs.ReadAsync(Root, node, 0, new byte[64])).Status);
        Assert.Equal(VfsStatus.Invalid, (await Vfs.WriteAsync(Root, node, 0, "x"u8.ToArray(), WriteStability.FileSync)).Status);
        Assert.Equal(VfsStatus.NotSupported, Vfs.SetAttr(Root, node, new SetAttributes { Mode = 0x1FF }).Status);
        Assert.Equal(VfsStatus.Loop, Vfs.LookupPath(Root, "out/secret").Status);
        Assert.Equal(target, Vfs.ReadLink(Root, node).Value);

        Assert.Equal(["secret"], Directory.GetFileSystemEntries(Tree.Outside).Select(Path.GetFileName));
        Assert.Equal("outside the export", File.ReadAllText(Path.Combine(Tree.Outside, "secret")));
    }

    [Fact]
    public void A_directory_swapped_for_a_symlink_between_two_operations_does_not_lead_outside()
    {
        var d = MakeDir("d");
        CreateFile("inner", "in", d);
        // Between the client's LOOKUP and its CREATE, someone replaces d with a symlink to the outside.
        Directory.Move(Tree.At("d"), Path.Combine(Tree.Base, "d-moved-away"));
        File.CreateSymbolicLink(Tree.At("d"), Tree.Outside);
        SyncExternal(Vfs);

        var r = Vfs.Create(Root, d, "planted", CreateHow.Unchecked());
        Assert.Equal(VfsStatus.Stale, r.Status);
        Assert.False(File.Exists(Path.Combine(Tree.Outside, "planted")));
        Assert.False(File.Exists(Path.Combine(Tree.Base, "d-moved-away", "planted")));
        Assert.Equal(VfsStatus.NotDirectory, Vfs.Lookup(Root, LookupOk("d"), "secret").Status);
    }

    [Fact]
    public async Task A_directory_moved_out_of_the_export_takes_its_children_out_of_reach()
    {
        var d = MakeDir("d");
        var f = CreateFile("f", "x", d);
        Directory.Move(Tree.At("d"), Path.Combine(Tree.Outside, "d"));
        SyncExternal(Vfs);
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(d).Status);
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(f).Status);
        Assert.Equal(VfsStatus.Stale, (await Vfs.WriteAsync(Root, f, 0, "y"u8.ToArray(), WriteStability.FileSync)).Status);
        Assert.Equal("x", File.ReadAllText(Path.Combine(Tree.Outside, "d", "f")));
    }

    [Fact]
    public void A_handle_from_another_export_is_BadHandle_here()
    {
        var otherRoot = Path.Combine(Tree.Base, "other");
        Directory.CreateDirectory(otherRoot);
        File.WriteAllText(Path.Combine(otherRoot, "theirs"), "not yours");
        var other = OpenExtra("other", otherRoot);
        var theirs = other.Lookup(Root, other.Root, "theirs").Value.Node;
        Assert.Equal(VfsStatus.BadHandle, Vfs.GetAttr(theirs).Status);
        Assert.Equal(VfsStatus.BadHandle, Vfs.GetAttr(other.Root).Status);
        Assert.Equal(VfsStatus.BadHandle, Vfs.Create(Root, other.Root, "x", CreateHow.Unchecked()).Status);
        Assert.Equal(VfsStatus.Ok, other.GetAttr(theirs).Status);
    }

    [Fact]
    public void A_handle_never_issued_is_BadHandle()
    {
        Assert.Equal(VfsStatus.BadHandle, Vfs.GetAttr(new NodeId(0)).Status);
        Assert.Equal(VfsStatus.BadHandle, Vfs.GetAttr(new NodeId(ulong.MaxValue)).Status);
    }
}
