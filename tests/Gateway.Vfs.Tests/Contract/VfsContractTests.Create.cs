namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void Guarded_create_of_an_existing_name_is_Exists()
    {
        CreateFile("f", "data");
        Assert.Equal(VfsStatus.Exists, Vfs.Create(Root, Vfs.Root, "f", CreateHow.Guarded()).Status);
        Assert.Equal("data", File.ReadAllText(Tree.At("f")));
    }

    [Fact]
    public void Unchecked_create_of_an_existing_file_opens_it_and_applies_only_the_given_size()
    {
        var f = CreateFile("f", "data");
        Vfs.SetAttr(Root, f, new SetAttributes { Mode = 0x1C0 }); // 0700
        var r = Vfs.Create(Root, Vfs.Root, "f", CreateHow.Unchecked(new SetAttributes { Size = 0 }));
        Assert.Equal(VfsStatus.Ok, r.Status);
        Assert.Equal(f, r.Value.Node);
        Assert.Equal(0UL, r.Value.Attributes.Size);
        Assert.Equal(0x1C0u, r.Value.Attributes.Permissions);
    }

    [Fact]
    public void Exclusive_create_retried_with_the_same_verifier_succeeds_and_another_verifier_is_Exists()
    {
        var first = Vfs.Create(Root, Vfs.Root, "f", CreateHow.Exclusive(0xABCDEF));
        Assert.Equal(VfsStatus.Ok, first.Status);
        var retry = Vfs.Create(Root, Vfs.Root, "f", CreateHow.Exclusive(0xABCDEF));
        Assert.Equal(VfsStatus.Ok, retry.Status);
        Assert.Equal(first.Value.Node, retry.Value.Node);
        Assert.Equal(VfsStatus.Exists, Vfs.Create(Root, Vfs.Root, "f", CreateHow.Exclusive(1)).Status);
        Restart();
        Assert.Equal(first.Value.Node, Vfs.Create(Root, Vfs.Root, "f", CreateHow.Exclusive(0xABCDEF)).Value.Node);
    }

    [Fact]
    public void Create_gives_exactly_the_requested_mode_whatever_the_umask()
    {
        var r = Vfs.Create(Root, Vfs.Root, "f", CreateHow.Guarded(new SetAttributes { Mode = 0x1F6 })); // 0766
        Assert.Equal(0x1F6u, r.Value.Attributes.Permissions);
        var d = Vfs.Mkdir(Root, Vfs.Root, "d", new SetAttributes { Mode = 0x1FF });
        Assert.Equal(0x1FFu, d.Value.Attributes.Permissions);
    }

    [Fact]
    public void Create_reports_directory_wcc_data()
    {
        var before = Vfs.GetAttr(Vfs.Root).Value;
        var r = Vfs.Create(Root, Vfs.Root, "f", CreateHow.Guarded());
        Assert.Equal(before.ModifyTime, r.Value.Directory.Before!.Value.ModifyTime);
        Assert.NotNull(r.Value.Directory.After);
    }

    [Fact]
    public void Create_over_a_symlink_fails_and_never_writes_through_it()
    {
        File.CreateSymbolicLink(Tree.At("link"), Path.Combine(Tree.Outside, "secret"));
        Assert.Equal(VfsStatus.Exists, Vfs.Create(Root, Vfs.Root, "link", CreateHow.Unchecked(new SetAttributes { Size = 0 })).Status);
        Assert.Equal("outside the export", File.ReadAllText(Path.Combine(Tree.Outside, "secret")));
    }

    [Fact]
    public void Mkdir_symlink_and_mknod_make_what_they_say()
    {
        var d = Vfs.Mkdir(Root, Vfs.Root, "dir");
        Assert.Equal(FileType.Directory, d.Value.Attributes.Type);
        var s = Vfs.Symlink(Root, Vfs.Root, "sym", "../../anywhere/at/all");
        Assert.Equal(FileType.Symlink, s.Value.Attributes.Type);
        Assert.Equal("../../anywhere/at/all", Vfs.ReadLink(Root, s.Value.Node).Value);
        Assert.Equal("../../anywhere/at/all", new FileInfo(Tree.At("sym")).LinkTarget);
        var fifo = Vfs.Mknod(Root, Vfs.Root, "fifo", FileType.Fifo, 0x1A4);
        Assert.Equal(FileType.Fifo, fifo.Value.Attributes.Type);
        var sock = Vfs.Mknod(Root, Vfs.Root, "sock", FileType.Socket, 0x1A4);
        Assert.Equal(FileType.Socket, sock.Value.Attributes.Type);
        Assert.Equal(VfsStatus.Invalid, Vfs.Mknod(Root, Vfs.Root, "reg", FileType.Regular, 0x1A4).Status);
        Assert.Equal(VfsStatus.Exists, Vfs.Mkdir(Root, Vfs.Root, "dir").Status);
        Assert.Equal(VfsStatus.Invalid, Vfs.ReadLink(Root, d.Value.Node).Status);
    }

    [Fact]
    public void Creating_in_a_directory_without_write_permission_is_AccessDenied()
    {
        var d = MakeDir("d");
        Vfs.SetAttr(Root, d, new SetAttributes { Mode = 0x1ED }); // 0755, owned by root
        Assert.Equal(VfsStatus.AccessDenied, Vfs.Create(User, d, "f", CreateHow.Unchecked()).Status);
        Assert.Equal(VfsStatus.AccessDenied, Vfs.Mkdir(User, d, "x").Status);
        Assert.Empty(Directory.GetFileSystemEntries(Tree.At("d")));
    }
}
