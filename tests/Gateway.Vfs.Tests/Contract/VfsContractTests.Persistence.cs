namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void Node_ids_survive_a_restart()
    {
        var d = MakeDir("d");
        var f = CreateFile("f", "kept", d);
        var root = Vfs.Root;
        Restart();
        Assert.Equal(root, Vfs.Root);
        Assert.Equal(f, Vfs.LookupPath(Root, "d/f").Value);
        Assert.Equal("kept", ReadAll(f));
        Assert.Equal(d, Vfs.GetAttr(d).Value.Node);
    }

    [Fact]
    public void A_file_renamed_outside_while_the_gateway_was_down_keeps_its_id()
    {
        var f = CreateFile("before", "x");
        Restart();
        Vfs.Dispose();
        File.Move(Tree.At("before"), Tree.At("after"));
        Restart();
        Assert.Equal(VfsStatus.Ok, Vfs.GetAttr(f).Status);
        Assert.Equal(f, LookupOk("after"));
    }

    [Fact]
    public void A_deleted_file_whose_inode_is_reused_reports_Stale_and_the_new_file_gets_a_new_id()
    {
        var old = CreateFile("victim", "old");
        var oldIno = Support.Disk.Inode(Tree.At("victim"));
        File.Delete(Tree.At("victim"));
        SyncExternal(Vfs);
        Restart(); // no cached descriptor: resolution must go by (device, inode, birth time)

        // ext4 hands a freed inode out again quickly; try a few creations to catch the reuse.
        NodeId? reused = null;
        for (var i = 0; i < 200 && reused is null; i++)
        {
            var name = $"new{i}";
            File.WriteAllText(Tree.At(name), "new");
            if (Support.Disk.Inode(Tree.At(name)) == oldIno) reused = LookupOk(name);
        }
        Assert.Equal(VfsStatus.Stale, Vfs.GetAttr(old).Status);
        if (reused is { } n) Assert.NotEqual(old, n);
    }

    [Fact]
    public void The_store_passes_an_integrity_check_and_has_the_latest_schema()
    {
        CreateFile("f");
        Assert.Equal("ok", Store.IntegrityCheck());
        Assert.Equal(Gateway.Vfs.Store.Migrations.Latest, Store.SchemaVersion);
    }
}
