using Gateway.Nfs.Mount;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.Mount;

public sealed class MountProgramTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public MountProgramTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Mnt_returns_the_root_handle_and_offers_auth_sys_then_auth_none()
    {
        var mnt = await _c.MntAsync("/export");
        Assert.Equal(MountStatus.MNT3_OK, mnt.Status);
        Assert.Equal(_h.RootHandle, mnt.Handle);
        Assert.Equal([(uint)AuthFlavor.AUTH_SYS, (uint)AuthFlavor.AUTH_NONE], mnt.Flavors);
    }

    [Theory]
    [InlineData("/export/")]
    [InlineData("//export/.")]
    public async Task Mnt_accepts_the_mount_path_however_it_is_spelled(string path)
    {
        Assert.Equal(_h.RootHandle, (await _c.MntAsync(path)).Handle);
    }

    [Fact]
    public async Task Mnt_of_the_real_directory_path_is_the_same_export()
    {
        Assert.Equal(_h.RootHandle, (await _c.MntAsync(_h.Tree.Root)).Handle);
    }

    [Fact]
    public async Task Mnt_of_a_directory_beneath_the_export_returns_its_handle()
    {
        Directory.CreateDirectory(_h.Tree.At("src/lib"));
        var mnt = await _c.MntAsync("/export/src/lib");
        Assert.Equal(MountStatus.MNT3_OK, mnt.Status);
        var lib = await _c.LookupAsync((await _c.LookupAsync(_h.RootHandle, "src")).Handle!, "lib");
        Assert.Equal(lib.Handle, mnt.Handle);
        Assert.Equal(NFS3_OK, (await _c.GetAttrAsync(mnt.Handle!)).Status);
    }

    [Theory]
    [InlineData("/nothing")]
    [InlineData("/exported")]
    [InlineData("/export/missing")]
    [InlineData("/export/../etc")]
    [InlineData("export")]
    public async Task Mnt_of_a_path_that_is_not_exported_is_noent(string path)
    {
        Assert.Equal(MountStatus.MNT3ERR_NOENT, (await _c.MntAsync(path)).Status);
    }

    [Fact]
    public async Task Mnt_from_a_host_not_allowed_is_acces_and_not_listed()
    {
        var stranger = _h.Client(remote: "198.51.100.1");
        Assert.Equal(MountStatus.MNT3ERR_ACCES, (await stranger.MntAsync("/export")).Status);
        Assert.Empty(await _c.DumpAsync());
    }

    [Fact]
    public async Task Mnt_of_a_file_is_notdir()
    {
        File.WriteAllText(_h.Tree.At("file"), "x");
        Assert.Equal(MountStatus.MNT3ERR_NOTDIR, (await _c.MntAsync("/export/file")).Status);
    }

    [Fact]
    public async Task Mnt_through_a_symlink_is_refused_even_to_a_directory_inside()
    {
        Directory.CreateDirectory(_h.Tree.At("real"));
        File.CreateSymbolicLink(_h.Tree.At("alias"), "real");
        File.CreateSymbolicLink(_h.Tree.At("out"), "/etc");
        Assert.Equal(MountStatus.MNT3ERR_NOTDIR, (await _c.MntAsync("/export/alias")).Status);
        Assert.Equal(MountStatus.MNT3ERR_NOTDIR, (await _c.MntAsync("/export/out")).Status);
    }

    [Fact]
    public async Task Dump_lists_each_mount_once_and_umnt_removes_it()
    {
        await _c.MntAsync("/export");
        await _c.MntAsync("/export/");
        Directory.CreateDirectory(_h.Tree.At("sub"));
        await _c.MntAsync("/export/sub");
        Assert.Equal([("127.0.0.1", "/export"), ("127.0.0.1", "/export/sub")], await _c.DumpAsync());
        await _c.UmntAsync("/export/sub");
        Assert.Equal([("127.0.0.1", "/export")], await _c.DumpAsync());
        Assert.Equal([new MountEntry("127.0.0.1", "/export")], _h.Mount.Mounts);
    }

    [Fact]
    public async Task Umntall_removes_every_mount_of_the_calling_host_only()
    {
        var other = _h.Client(remote: "::1");
        await _c.MntAsync("/export");
        await other.MntAsync("/export");
        await _c.UmntAllAsync();
        Assert.Equal([("::1", "/export")], await _c.DumpAsync());
    }

    [Fact]
    public async Task Export_lists_the_exports_with_their_hosts_and_hides_those_nobody_may_mount()
    {
        using var h = new NfsHarness(secondPolicy: new ExportPolicy());
        var exports = await h.Client().ExportAsync();
        var only = Assert.Single(exports);
        Assert.Equal("/export", only.Path);
        Assert.Equal(["127.0.0.1", "::1"], only.Groups);
    }

    [Fact]
    public async Task Mount_v1_serves_mnt_with_a_fixed_32_byte_handle_and_export()
    {
        var results = await _c.CallAsync(NfsClient.MountProgramNumber, 1, 1, Xdr.Build((ref XdrWriter w) => w.WriteString("/export")));
        Assert.Equal(4 + 32, results.Length);
        Assert.Equal(new byte[4], results[..4]);
        Assert.Equal(_h.RootHandle, results[4..]);
        Assert.Single(await _c.ExportAsync(version: 1));
        var refused = await _c.CallAsync(NfsClient.MountProgramNumber, 1, 1, Xdr.Build((ref XdrWriter w) => w.WriteString("/nope")));
        Assert.Equal(Hex.Bytes("00000002"), refused);
    }

    [Fact]
    public async Task Mount_null_answers_and_version_4_gets_prog_mismatch_1_to_3()
    {
        Assert.Empty(await _c.CallAsync(NfsClient.MountProgramNumber, 3, 0, []));
        var record = await _c.RawAsync(NfsClient.MountProgramNumber, 4, 0, []);
        Assert.Equal((AcceptStat.PROG_MISMATCH, 1u, 3u), NfsClient.Accept(record));
    }

    [Fact]
    public async Task A_dirpath_over_1024_bytes_is_garbage_args()
    {
        var record = await _c.RawAsync(NfsClient.MountProgramNumber, 3, 1, Xdr.Build((ref XdrWriter w) => w.WriteString("/" + new string('a', 1024))));
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(record).Stat);
    }
}
