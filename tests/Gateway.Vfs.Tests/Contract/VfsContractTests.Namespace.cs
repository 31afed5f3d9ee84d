namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void Remove_of_a_directory_is_IsDirectory_and_rmdir_of_a_file_is_NotDirectory()
    {
        MakeDir("d");
        CreateFile("f");
        Assert.Equal(VfsStatus.IsDirectory, Vfs.Remove(Root, Vfs.Root, "d").Status);
        Assert.Equal(VfsStatus.NotDirectory, Vfs.Rmdir(Root, Vfs.Root, "f").Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.Remove(Root, Vfs.Root, "missing").Status);
    }

    [Fact]
    public void Rmdir_of_a_non_empty_directory_is_NotEmpty()
    {
        var d = MakeDir("d");
        CreateFile("inner", dir: d);
        Assert.Equal(VfsStatus.NotEmpty, Vfs.Rmdir(Root, Vfs.Root, "d").Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, d, "inner").Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Rmdir(Root, Vfs.Root, "d").Status);
        Assert.False(Directory.Exists(Tree.At("d")));
    }

    [Fact]
    public async Task A_removed_file_handle_goes_stale()
    {
        var f = CreateFile("f", "x");
        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, Vfs.Root, "f").Status);
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(f).Status);
        Assert.Equal(VfsStatus.Stale, (await Vfs.ReadAsync(Root, f, 0, new byte[1])).Status);
    }

    [Fact]
    public void Rename_within_and_across_directories_keeps_the_node_id()
    {
        var f = CreateFile("f", "content");
        var d = MakeDir("d");
        var within = Vfs.Rename(Root, Vfs.Root, "f", Vfs.Root, "g");
        Assert.Equal(VfsStatus.Ok, within.Status);
        Assert.Equal(f, LookupOk("g"));
        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "g", d, "h").Status);
        Assert.Equal(f, LookupOk("h", d));
        Assert.Equal("content", ReadAll(f));
        Assert.True(File.Exists(Tree.At("d/h")));
    }

    [Fact]
    public void Rename_over_an_existing_file_replaces_it_and_the_old_target_goes_stale()
    {
        var src = CreateFile("src", "new");
        var dst = CreateFile("dst", "old");
        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "src", Vfs.Root, "dst").Status);
        Assert.Equal(src, LookupOk("dst"));
        Assert.Equal("new", File.ReadAllText(Tree.At("dst")));
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(dst).Status);
    }

    [Fact]
    public void Rename_follows_the_directory_rules()
    {
        var a = MakeDir("a");
        var b = MakeDir("b");
        CreateFile("inside-b", dir: b);
        CreateFile("file");
        Assert.Equal(VfsStatus.NotEmpty, Vfs.Rename(Root, Vfs.Root, "a", Vfs.Root, "b").Status);
        Assert.Equal(VfsStatus.NotDirectory, Vfs.Rename(Root, Vfs.Root, "a", Vfs.Root, "file").Status);
        Assert.Equal(VfsStatus.IsDirectory, Vfs.Rename(Root, Vfs.Root, "file", Vfs.Root, "a").Status);
        Assert.Equal(VfsStatus.Invalid, Vfs.Rename(Root, Vfs.Root, "b", b, "sub").Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.Rename(Root, Vfs.Root, "missing", Vfs.Root, "x").Status);
        MakeDir("empty");
        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "a", Vfs.Root, "empty").Status);
        Assert.Equal(a, LookupOk("empty"));
    }

    [Fact]
    public void Rename_noreplace_refuses_an_existing_target_and_exchange_swaps()
    {
        var x = CreateFile("x", "X");
        var y = CreateFile("y", "Y");
        Assert.Equal(VfsStatus.Exists, Vfs.Rename(Root, Vfs.Root, "x", Vfs.Root, "y", RenameFlags.NoReplace).Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "x", Vfs.Root, "y", RenameFlags.Exchange).Status);
        Assert.Equal("X", File.ReadAllText(Tree.At("y")));
        Assert.Equal(x, LookupOk("y"));
        Assert.Equal(y, LookupOk("x"));
    }

    [Fact]
    public void Renaming_a_directory_keeps_its_children_reachable()
    {
        var d = MakeDir("d");
        var f = CreateFile("f", "deep", d);
        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "d", Vfs.Root, "e").Status);
        Restart();
        Assert.Equal("deep", ReadAll(f));
        Assert.Equal(d, Vfs.LookupPath(Root, "e").Value);
    }

    [Fact]
    public void Link_adds_a_second_name_to_the_same_node()
    {
        var f = CreateFile("f", "shared");
        var d = MakeDir("d");
        var r = Vfs.Link(Root, f, d, "second");
        Assert.Equal(VfsStatus.Ok, r.Status);
        Assert.Equal(2u, r.Value.Attributes.Nlink);
        Assert.Equal(f, LookupOk("second", d));
        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, Vfs.Root, "f").Status);
        Assert.Equal("shared", ReadAll(f));
        Assert.Equal(VfsStatus.Exists, Vfs.Link(Root, f, d, "second").Status);
        Assert.Equal(VfsStatus.IsDirectory, Vfs.Link(Root, d, Vfs.Root, "dirlink").Status);
    }
}
