using Gateway.Vfs.Events;

namespace Gateway.Vfs.Tests.Contract;

/// <summary>The exported tree is the user's real directory: editors, git and shells change it under us.</summary>
public abstract partial class VfsContractTests
{
    [Fact]
    public void A_file_renamed_outside_keeps_its_node_id()
    {
        var f = CreateFile("draft.txt", "text");
        File.Move(Tree.At("draft.txt"), Tree.At("final.txt"));
        SyncExternal(Vfs);
        Assert.Equal(VfsStatus.Ok, Vfs.GetAttr(f).Status);
        Assert.Equal("text", ReadAll(f));
        Assert.Equal(f, LookupOk("final.txt"));
        Restart();
        Assert.Equal(f, Vfs.LookupPath(Root, "final.txt").Value);
    }

    [Fact]
    public void A_file_moved_outside_between_known_directories_keeps_its_node_id()
    {
        var a = MakeDir("a");
        var b = MakeDir("b");
        var f = CreateFile("f", "moving", a);
        File.Move(Tree.At("a/f"), Tree.At("b/g"));
        SyncExternal(Vfs);
        Restart();
        Assert.Equal(f, Vfs.LookupPath(Root, "b/g").Value);
        Assert.Equal("moving", ReadAll(f));
        Assert.Equal(b, Vfs.LookupPath(Root, "b").Value);
    }

    [Fact]
    public void A_file_deleted_outside_goes_stale()
    {
        var f = CreateFile("f", "x");
        File.Delete(Tree.At("f"));
        SyncExternal(Vfs);
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(f).Status);
        Assert.Equal(VfsStatus.NotFound, Vfs.Lookup(Root, Vfs.Root, "f").Status);
    }

    [Fact]
    public void A_save_by_rename_replacing_a_file_outside_makes_the_old_handle_stale_and_the_name_new()
    {
        var f = CreateFile("doc", "v1");
        File.WriteAllText(Tree.At(".doc.tmp"), "v2");
        File.Move(Tree.At(".doc.tmp"), Tree.At("doc"), overwrite: true);
        SyncExternal(Vfs);
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(f).Status);
        var now = LookupOk("doc");
        Assert.NotEqual(f, now);
        Assert.Equal("v2", ReadAll(now));
    }

    [Fact]
    public void Changes_are_published_for_gateway_operations_and_outside_edits()
    {
        var seen = new List<VfsChange>();
        using var _ = Vfs.Changes.Subscribe(c => { lock (seen) seen.Add(c); });
        var f = CreateFile("mine");
        Vfs.Rename(Root, Vfs.Root, "mine", Vfs.Root, "mine2");
        File.WriteAllText(Tree.At("theirs"), "x");
        SyncExternal(Vfs);
        lock (seen)
        {
            Assert.Contains(seen, c => c is { Kind: ChangeKind.Created, Name: "mine", External: false } && c.Node == f);
            Assert.Contains(seen, c => c is { Kind: ChangeKind.Renamed, Name: "mine2", OldName: "mine", External: false });
            Assert.Contains(seen, c => c is { Kind: ChangeKind.Created, Name: "theirs", External: true });
            Assert.DoesNotContain(seen, c => c is { Name: "mine", External: true, Kind: ChangeKind.Created });
        }
    }
}
