using System.Text;
using Gateway.Nfs.Tests.Support;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

public sealed class NamespaceTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public NamespaceTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    private async Task<byte[]> CreateAsync(byte[] dir, string name, string content = "")
    {
        var created = await _c.CreateAsync(dir, name);
        Assert.Equal(NFS3_OK, created.Status);
        if (content.Length > 0) await _c.WriteAsync(created.Handle!, 0, Encoding.UTF8.GetBytes(content));
        return created.Handle!;
    }

    private async Task<string> ReadAllAsync(byte[] file) => Encoding.UTF8.GetString((await _c.ReadAsync(file, 0, 1 << 16)).Data);

    [Fact]
    public async Task Lookup_of_dotdot_at_the_export_root_returns_the_root()
    {
        var root = await _c.RootAsync();
        var up = await _c.LookupAsync(root, "..");
        Assert.Equal(NFS3_OK, up.Status);
        Assert.Equal(root, up.Handle);
        Assert.Equal(_h.Vfs.Root.Value, up.Attributes!.FileId);
    }

    [Fact]
    public async Task Lookup_of_dotdot_in_a_subdirectory_returns_its_parent()
    {
        var root = await _c.RootAsync();
        var sub = await _c.MkdirAsync(root, "sub");
        var up = await _c.LookupAsync(sub.Handle!, "..");
        Assert.Equal(root, up.Handle);
        Assert.Equal(sub.Attributes!.FileId, up.DirAttributes!.FileId);
    }

    [Fact]
    public async Task Lookup_of_a_missing_name_is_noent_with_the_directory_attributes()
    {
        var root = await _c.RootAsync();
        var reply = await _c.LookupAsync(root, "missing");
        Assert.Equal(NFS3ERR_NOENT, reply.Status);
        Assert.Equal(_h.Vfs.Root.Value, reply.DirAttributes!.FileId);
    }

    [Fact]
    public async Task Lookup_finds_a_file_created_on_disk_with_its_attributes()
    {
        File.WriteAllText(_h.Tree.At("disk.txt"), "abc");
        var reply = await _c.LookupAsync(await _c.RootAsync(), "disk.txt");
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.Equal(3ul, reply.Attributes!.Size);
        Assert.Equal(1u, reply.Attributes.Type);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]            // invalid UTF-8
    [InlineData(new byte[] { (byte)'a', (byte)'/', (byte)'b' })]
    [InlineData(new byte[0])]
    public async Task Lookup_of_a_name_no_file_can_have_is_noent(byte[] name)
    {
        var reply = await _c.LookupRawAsync(await _c.RootAsync(), name);
        Assert.Equal(NFS3ERR_NOENT, reply.Status);
    }

    [Fact]
    public async Task Create_guarded_twice_is_exist_and_the_error_carries_wcc_data()
    {
        var root = await _c.RootAsync();
        var first = await _c.CreateAsync(root, "g", mode: 1);
        Assert.Equal(NFS3_OK, first.Status);
        Assert.NotNull(first.Handle);
        Assert.NotNull(first.DirWcc.Before);
        Assert.NotNull(first.DirWcc.After);
        var second = await _c.CreateAsync(root, "g", mode: 1);
        Assert.Equal(NFS3ERR_EXIST, second.Status);
        Assert.NotNull(second.DirWcc.After);
    }

    [Fact]
    public async Task Create_exclusive_retried_with_the_same_verifier_succeeds_with_the_same_file()
    {
        var root = await _c.RootAsync();
        var first = await _c.CreateAsync(root, "x", mode: 2, verifier: 0x1122334455667788);
        Assert.Equal(NFS3_OK, first.Status);
        // A new xid: the retry is not answered by the duplicate request cache but by the Vfs.
        var retry = await _c.CreateAsync(root, "x", mode: 2, verifier: 0x1122334455667788);
        Assert.Equal(NFS3_OK, retry.Status);
        Assert.Equal(first.Handle, retry.Handle);
    }

    [Fact]
    public async Task Create_exclusive_with_another_verifier_is_exist()
    {
        var root = await _c.RootAsync();
        Assert.Equal(NFS3_OK, (await _c.CreateAsync(root, "x", mode: 2, verifier: 1)).Status);
        Assert.Equal(NFS3ERR_EXIST, (await _c.CreateAsync(root, "x", mode: 2, verifier: 2)).Status);
    }

    [Fact]
    public async Task Create_unchecked_of_an_existing_file_applies_the_size_asked()
    {
        var root = await _c.RootAsync();
        var file = await CreateAsync(root, "u", "0123456789");
        var again = await _c.CreateAsync(root, "u", mode: 0, attributes: new Sattr(Size: 0));
        Assert.Equal(NFS3_OK, again.Status);
        Assert.Equal(file, again.Handle);
        Assert.Equal(0ul, again.Attributes!.Size);
    }

    [Fact]
    public async Task Create_applies_the_mode_asked_whatever_the_umask()
    {
        var created = await _c.CreateAsync(await _c.RootAsync(), "m", mode: 1, attributes: new Sattr(Mode: 0x1B6)); // 0666
        Assert.Equal(0x1B6u, created.Attributes!.Mode);
    }

    [Fact]
    public async Task Create_with_a_name_over_255_bytes_is_nametoolong()
    {
        Assert.Equal(NFS3ERR_NAMETOOLONG, (await _c.CreateAsync(await _c.RootAsync(), new string('n', 256))).Status);
    }

    [Fact]
    public async Task Create_of_dotdot_is_refused_and_nothing_leaves_the_export()
    {
        var root = await _c.RootAsync();
        Assert.Equal(NFS3ERR_INVAL, (await _c.CreateAsync(root, "..")).Status);
        Assert.Equal(NFS3ERR_INVAL, (await _c.CreateAsync(root, "a/b")).Status);
    }

    [Fact]
    public async Task Mkdir_then_rmdir_and_rmdir_of_a_non_empty_directory_is_notempty()
    {
        var root = await _c.RootAsync();
        var dir = await _c.MkdirAsync(root, "d", new Sattr(Mode: 0x1C0));
        Assert.Equal(NFS3_OK, dir.Status);
        Assert.Equal(2u, dir.Attributes!.Type);
        Assert.Equal(0x1C0u, dir.Attributes.Mode);
        Assert.Equal(NFS3ERR_EXIST, (await _c.MkdirAsync(root, "d")).Status);
        await CreateAsync(dir.Handle!, "inside");
        var refused = await _c.RmdirAsync(root, "d");
        Assert.Equal(NFS3ERR_NOTEMPTY, refused.Status);
        Assert.NotNull(refused.Wcc.After);
        Assert.Equal(NFS3_OK, (await _c.RemoveAsync(dir.Handle!, "inside")).Status);
        var removed = await _c.RmdirAsync(root, "d");
        Assert.Equal(NFS3_OK, removed.Status);
        Assert.NotNull(removed.Wcc.Before);
        Assert.False(Directory.Exists(_h.Tree.At("d")));
    }

    [Fact]
    public async Task Symlink_then_readlink_returns_the_target_as_stored_even_outside_the_export()
    {
        var root = await _c.RootAsync();
        var link = await _c.SymlinkAsync(root, "escape", "../../etc/passwd");
        Assert.Equal(NFS3_OK, link.Status);
        Assert.Equal(5u, link.Attributes!.Type); // NF3LNK
        var read = await _c.ReadLinkAsync(link.Handle!);
        Assert.Equal(NFS3_OK, read.Status);
        Assert.Equal("../../etc/passwd", read.Target);
        Assert.NotNull(read.Attributes);
        // The server never follows it: a lookup through it is not a directory.
        Assert.Equal(NFS3ERR_NOTDIR, (await _c.LookupAsync(link.Handle!, "x")).Status);
    }

    [Fact]
    public async Task Readlink_of_a_regular_file_is_inval()
    {
        var file = await CreateAsync(await _c.RootAsync(), "plain");
        var reply = await _c.ReadLinkAsync(file);
        Assert.Equal(NFS3ERR_INVAL, reply.Status);
        Assert.NotNull(reply.Attributes);
    }

    [Fact]
    public async Task Mknod_of_a_fifo_creates_a_fifo_with_the_mode_asked()
    {
        var reply = await _c.MknodAsync(await _c.RootAsync(), "pipe", type: 7, new Sattr(Mode: 0x1A0));
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.Equal(7u, reply.Attributes!.Type); // NF3FIFO
        Assert.Equal(0x1A0u, reply.Attributes.Mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(_h.Tree.At("pipe")));
    }

    [Theory]
    [InlineData(1u)] // NF3REG
    [InlineData(2u)] // NF3DIR
    [InlineData(5u)] // NF3LNK
    [InlineData(9u)] // not an ftype3
    public async Task Mknod_of_a_type_with_its_own_procedure_is_badtype(uint type)
    {
        var reply = await _c.MknodAsync(await _c.RootAsync(), "n", type);
        Assert.Equal(NFS3ERR_BADTYPE, reply.Status);
        Assert.NotNull(reply.DirWcc.After);
        Assert.False(Path.Exists(_h.Tree.At("n")));
    }

    [Fact]
    public async Task Remove_of_a_missing_name_is_noent_with_wcc_data()
    {
        var reply = await _c.RemoveAsync(await _c.RootAsync(), "missing");
        Assert.Equal(NFS3ERR_NOENT, reply.Status);
        Assert.Null(reply.Wcc.Before);
        Assert.Equal(_h.Vfs.Root.Value, reply.Wcc.After!.FileId);
    }

    [Fact]
    public async Task Remove_of_a_directory_is_isdir()
    {
        var root = await _c.RootAsync();
        await _c.MkdirAsync(root, "dir");
        Assert.Equal(NFS3ERR_ISDIR, (await _c.RemoveAsync(root, "dir")).Status);
    }

    [Fact]
    public async Task Rename_over_an_existing_file_replaces_it()
    {
        var root = await _c.RootAsync();
        var src = await CreateAsync(root, "src", "new");
        var dst = await CreateAsync(root, "dst", "old");
        var reply = await _c.RenameAsync(root, "src", root, "dst");
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.NotNull(reply.From.Before);
        Assert.NotNull(reply.To.After);
        Assert.Equal(NFS3ERR_NOENT, (await _c.LookupAsync(root, "src")).Status);
        var found = await _c.LookupAsync(root, "dst");
        Assert.Equal(src, found.Handle);
        Assert.Equal("new", await ReadAllAsync(found.Handle!));
        Assert.Equal(NFS3ERR_STALE, (await _c.GetAttrAsync(dst)).Status);
    }

    [Fact]
    public async Task Rename_into_a_subdirectory_keeps_the_handle_and_reports_both_directories()
    {
        var root = await _c.RootAsync();
        var file = await CreateAsync(root, "moving", "data");
        var sub = await _c.MkdirAsync(root, "sub");
        var reply = await _c.RenameAsync(root, "moving", sub.Handle!, "moved");
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.Equal(_h.Vfs.Root.Value, reply.From.After!.FileId);
        Assert.Equal(sub.Attributes!.FileId, reply.To.After!.FileId);
        Assert.Equal("data", await ReadAllAsync(file));
        Assert.Equal(file, (await _c.LookupAsync(sub.Handle!, "moved")).Handle);
    }

    [Fact]
    public async Task Rename_of_a_missing_name_is_noent_with_wcc_of_both_directories()
    {
        var root = await _c.RootAsync();
        var reply = await _c.RenameAsync(root, "nothing", root, "other");
        Assert.Equal(NFS3ERR_NOENT, reply.Status);
        Assert.NotNull(reply.From.After);
        Assert.NotNull(reply.To.After);
    }

    [Fact]
    public async Task Link_adds_a_second_name_to_the_same_file()
    {
        var root = await _c.RootAsync();
        var file = await CreateAsync(root, "one", "shared");
        var reply = await _c.LinkAsync(file, root, "two");
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.Equal(2u, reply.Attributes!.Nlink);
        Assert.NotNull(reply.DirWcc.Before);
        var two = await _c.LookupAsync(root, "two");
        Assert.Equal(file, two.Handle);
        Assert.Equal("shared", await ReadAllAsync(two.Handle!));
        Assert.Equal(NFS3ERR_EXIST, (await _c.LinkAsync(file, root, "two")).Status);
    }

    [Fact]
    public async Task Link_of_a_directory_is_refused()
    {
        var root = await _c.RootAsync();
        var dir = await _c.MkdirAsync(root, "d");
        var reply = await _c.LinkAsync(dir.Handle!, root, "d2");
        Assert.Equal(NFS3ERR_ISDIR, reply.Status);
        Assert.NotNull(reply.Attributes);
        Assert.NotNull(reply.DirWcc.After);
    }
}
