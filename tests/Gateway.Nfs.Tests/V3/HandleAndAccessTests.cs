using Gateway.Nfs.Tests.Support;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

// Every handle is checked: codec (forged → BADHANDLE), export (host list → ACCES), Vfs (gone → STALE).
public sealed class HandleAndAccessTests : IDisposable
{
    private readonly NfsHarness _h = new(secondPolicy: new ExportPolicy { AllowedHosts = [HostMatch.Parse("10.0.0.0/8")] });
    private readonly NfsClient _c;

    public HandleAndAccessTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_forged_handle_is_badhandle()
    {
        var root = await _c.RootAsync();
        var forged = (byte[])root.Clone();
        forged[12] ^= 0x40; // another node id, same MAC
        Assert.Equal(NFS3ERR_BADHANDLE, (await _c.GetAttrAsync(forged)).Status);
        var lookup = await _c.LookupAsync(forged, "x");
        Assert.Equal(NFS3ERR_BADHANDLE, lookup.Status);
        Assert.Null(lookup.DirAttributes);
    }

    [Fact]
    public async Task A_handle_signed_with_another_key_is_badhandle()
    {
        var stranger = new NfsHandleCodec(new byte[32]);
        Assert.Equal(NFS3ERR_BADHANDLE, (await _c.GetAttrAsync(stranger.Encode(_h.Export.Id, _h.Vfs.Root))).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(64)]
    public async Task A_handle_of_the_wrong_size_is_badhandle(int size)
    {
        Assert.Equal(NFS3ERR_BADHANDLE, (await _c.GetAttrAsync(new byte[size])).Status);
    }

    [Fact]
    public async Task A_handle_longer_than_nfs3_fhsize_is_garbage_args()
    {
        var args = Xdr.Build((ref XdrWriter w) => w.WriteOpaque(new byte[65]));
        var record = await _c.RawAsync(NfsClient.NfsProgram, 3, (uint)Nfs3Procedure.GETATTR, args);
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(record).Stat);
    }

    [Fact]
    public async Task The_handle_of_a_removed_file_is_stale()
    {
        var root = await _c.RootAsync();
        var file = (await _c.CreateAsync(root, "gone")).Handle!;
        Assert.Equal(NFS3_OK, (await _c.RemoveAsync(root, "gone")).Status);
        Assert.Equal(NFS3ERR_STALE, (await _c.GetAttrAsync(file)).Status);
        Assert.Equal(NFS3ERR_STALE, (await _c.ReadAsync(file, 0, 1)).Status);
        var write = await _c.WriteAsync(file, 0, [1]);
        Assert.Equal(NFS3ERR_STALE, write.Status);
        Assert.Null(write.Wcc.After);
    }

    [Fact]
    public async Task The_handle_of_a_file_deleted_behind_the_gateway_is_stale()
    {
        var file = (await _c.CreateAsync(await _c.RootAsync(), "outside-delete")).Handle!;
        File.Delete(_h.Tree.At("outside-delete"));
        Assert.Equal(NFS3ERR_STALE, (await _c.GetAttrAsync(file)).Status);
    }

    [Fact]
    public async Task Handles_stay_valid_across_a_gateway_restart()
    {
        var root = await _c.RootAsync();
        var dir = (await _c.MkdirAsync(root, "kept")).Handle!;
        var file = (await _c.CreateAsync(dir, "data")).Handle!;
        await _c.WriteAsync(file, 0, "still here"u8.ToArray());

        _h.Restart();
        var after = _h.Client();

        Assert.Equal(root, await after.RootAsync());
        Assert.Equal(NFS3_OK, (await after.GetAttrAsync(dir)).Status);
        Assert.Equal("still here"u8.ToArray(), (await after.ReadAsync(file, 0, 100)).Data);
        Assert.Equal(file, (await after.LookupAsync(dir, "data")).Handle);
    }

    [Fact]
    public async Task A_signed_handle_of_an_export_no_longer_served_is_stale()
    {
        Assert.Equal(NFS3ERR_STALE, (await _c.GetAttrAsync(_h.Codec.Encode(9999, NodeId.Root))).Status);
    }

    [Fact]
    public async Task A_node_of_another_export_under_this_exports_id_is_badhandle()
    {
        var other = _h.SecondVfs!.Root;
        Assert.Equal(NFS3ERR_BADHANDLE, (await _c.GetAttrAsync(_h.Codec.Encode(_h.Export.Id, other))).Status);
    }

    [Fact]
    public async Task A_client_not_in_the_allow_list_gets_acces_on_every_call()
    {
        var stranger = _h.Client(remote: "192.0.2.7");
        Assert.Equal(NFS3ERR_ACCES, (await stranger.GetAttrAsync(_h.RootHandle)).Status);
        var create = await stranger.CreateAsync(_h.RootHandle, "intruder");
        Assert.Equal(NFS3ERR_ACCES, create.Status);
        Assert.Null(create.DirWcc.After);
        Assert.False(File.Exists(_h.Tree.At("intruder")));
        Assert.Equal(NFS3ERR_ACCES, (await stranger.ReadDirPlusAsync(_h.RootHandle)).Status);
    }

    [Fact]
    public async Task A_handle_of_an_export_the_client_may_not_use_is_acces()
    {
        // The handle is genuine (the client got it some other way); the host list still applies.
        var handle = _h.Codec.Encode(_h.SecondExport!.Id, _h.SecondVfs!.Root);
        Assert.Equal(NFS3ERR_ACCES, (await _c.GetAttrAsync(handle)).Status);
        Assert.Equal(NFS3_OK, (await _h.Client(remote: "10.1.2.3").GetAttrAsync(handle)).Status);
    }

    [Fact]
    public async Task Rename_between_two_exports_is_xdev()
    {
        using var both = new NfsHarness(secondPolicy: ExportPolicy.Loopback);
        var c = both.Client();
        var root = both.RootHandle;
        var second = both.Codec.Encode(both.SecondExport!.Id, both.SecondVfs!.Root);
        Assert.Equal(NFS3_OK, (await c.CreateAsync(root, "a")).Status);
        var reply = await c.RenameAsync(root, "a", second, "a");
        Assert.Equal(NFS3ERR_XDEV, reply.Status);
        Assert.NotNull(reply.From.After);
        Assert.NotNull(reply.To.After);
        Assert.Equal(NFS3ERR_XDEV, (await c.LinkAsync((await c.LookupAsync(root, "a")).Handle!, second, "b")).Status);
    }

    [Fact]
    public async Task Without_squash_permissions_are_checked_as_the_client_uid()
    {
        using var h = new NfsHarness(ExportPolicy.Loopback with { Squash = Squash.None });
        var root = h.RootHandle;
        File.SetUnixFileMode(h.Tree.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var user = h.Client(credential: NfsClient.Sys(4321, 4321));
        Assert.Equal(NFS3ERR_ACCES, (await user.CreateAsync(root, "denied")).Status);
        Assert.Equal(0x03u, (await user.AccessAsync(root, 0x1F)).Access); // READ | LOOKUP only
        var owner = h.Client(credential: NfsClient.Sys(h.Export.AnonUid, h.Export.AnonGid));
        Assert.Equal(NFS3_OK, (await owner.CreateAsync(root, "allowed")).Status);
    }

    [Fact]
    public async Task Auth_none_callers_act_as_the_anonymous_user()
    {
        var anonymous = _h.Client(authNone: true);
        var created = await anonymous.CreateAsync(_h.RootHandle, "by-anon");
        Assert.Equal(NFS3_OK, created.Status);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(4u)]
    public async Task Nfs_versions_other_than_3_get_prog_mismatch_3_to_3(uint version)
    {
        var record = await _c.RawAsync(NfsClient.NfsProgram, version, 0, []);
        Assert.Equal((AcceptStat.PROG_MISMATCH, 3u, 3u), NfsClient.Accept(record));
    }

    [Fact]
    public async Task The_null_procedure_answers_with_empty_results()
    {
        Assert.Empty(await _c.CallAsync(NfsClient.NfsProgram, 3, 0, []));
    }

    [Fact]
    public async Task A_procedure_beyond_commit_is_proc_unavail()
    {
        var record = await _c.RawAsync(NfsClient.NfsProgram, 3, 22, []);
        Assert.Equal(AcceptStat.PROC_UNAVAIL, NfsClient.Accept(record).Stat);
    }

    [Fact]
    public async Task Truncated_arguments_are_garbage_args()
    {
        var root = await _c.RootAsync();
        var args = Xdr.Build((ref XdrWriter w) => w.WriteOpaque(root)); // LOOKUP without the name
        var record = await _c.RawAsync(NfsClient.NfsProgram, 3, (uint)Nfs3Procedure.LOOKUP, args);
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(record).Stat);
    }
}
