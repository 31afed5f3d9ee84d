using Gateway.Nfs.Tests.Support;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

public sealed class AttributeTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public AttributeTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    private async Task<(byte[] Root, byte[] File)> FileAsync(string name = "f", string content = "hello")
    {
        var root = await _c.RootAsync();
        var created = await _c.CreateAsync(root, name);
        Assert.Equal(NFS3_OK, created.Status);
        if (content.Length > 0) Assert.Equal(NFS3_OK, (await _c.WriteAsync(created.Handle!, 0, System.Text.Encoding.UTF8.GetBytes(content))).Status);
        return (root, created.Handle!);
    }

    [Fact]
    public async Task Mnt_then_getattr_of_the_root_describes_the_export_root()
    {
        var root = await _c.RootAsync();
        var attr = await _c.GetAttrAsync(root);
        Assert.Equal(NFS3_OK, attr.Status);
        Assert.Equal(2u, attr.Attributes!.Type); // NF3DIR
        Assert.Equal(_h.Vfs.Root.Value, attr.Attributes.FileId);
        Assert.NotEqual(0ul, attr.Attributes.FileId);
        Assert.Equal((ulong)(uint)_h.Export.Id, attr.Attributes.Fsid);
        var disk = _h.Vfs.GetAttr(_h.Vfs.Root).Value;
        Assert.Equal(disk.Mode, attr.Attributes.Mode);
        Assert.Equal(disk.ModifyTime, attr.Attributes.Mtime.Nanoseconds);
    }

    [Fact]
    public async Task Setattr_changes_the_mode_and_returns_wcc_with_both_sides()
    {
        var (_, file) = await FileAsync();
        var reply = await _c.SetAttrAsync(file, new Sattr(Mode: 0x180)); // 0600
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.NotNull(reply.Wcc.Before);
        Assert.Equal(0x180u, reply.Wcc.After!.Mode);
        Assert.Equal(0x180u, (await _c.GetAttrAsync(file)).Attributes!.Mode);
    }

    [Fact]
    public async Task Setattr_size_truncates_and_client_times_are_applied()
    {
        var (_, file) = await FileAsync(content: "0123456789");
        var when = new Time3(1_000_000_000, 5);
        var reply = await _c.SetAttrAsync(file, new Sattr(Size: 4, MtimeHow: 2, Mtime: when));
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.Equal(10ul, reply.Wcc.Before!.Size);
        Assert.Equal(4ul, reply.Wcc.After!.Size);
        Assert.Equal(when, reply.Wcc.After.Mtime);
    }

    [Fact]
    public async Task Setattr_with_an_old_ctime_guard_is_not_sync_and_changes_nothing()
    {
        var (_, file) = await FileAsync();
        var before = (await _c.GetAttrAsync(file)).Attributes!;
        var stale = new Time3(before.Ctime.Seconds - 10, before.Ctime.Nanos);
        var reply = await _c.SetAttrAsync(file, new Sattr(Mode: 0x1FF), guard: stale);
        Assert.Equal(NFS3ERR_NOT_SYNC, reply.Status);
        Assert.NotNull(reply.Wcc.After); // wcc_data on the error too
        Assert.Equal(before.Mode, (await _c.GetAttrAsync(file)).Attributes!.Mode);
    }

    [Fact]
    public async Task Setattr_guarded_by_the_current_ctime_succeeds()
    {
        var (_, file) = await FileAsync();
        var ctime = (await _c.GetAttrAsync(file)).Attributes!.Ctime;
        Assert.Equal(NFS3_OK, (await _c.SetAttrAsync(file, new Sattr(Mode: 0x1C0), guard: ctime)).Status);
    }

    [Fact]
    public async Task Access_grants_the_owner_everything_it_asks_on_a_directory()
    {
        var root = await _c.RootAsync();
        var reply = await _c.AccessAsync(root, 0x3F);
        Assert.Equal(NFS3_OK, reply.Status);
        Assert.NotNull(reply.Attributes);
        // READ | LOOKUP | MODIFY | EXTEND | DELETE on a directory the caller owns; EXECUTE is a file right.
        Assert.Equal(0x1Fu, reply.Access);
    }

    [Fact]
    public async Task Access_only_answers_the_bits_asked()
    {
        var (_, file) = await FileAsync();
        Assert.Equal(0x01u, (await _c.AccessAsync(file, 0x01)).Access);
    }

    [Fact]
    public async Task Fsinfo_advertises_1_MiB_transfers_nanosecond_times_and_posix_properties()
    {
        var info = await _c.FsInfoAsync(await _c.RootAsync());
        Assert.Equal(NFS3_OK, info.Status);
        Assert.Equal(1u << 20, info.Rtmax);
        Assert.Equal(1u << 20, info.Rtpref);
        Assert.Equal(1u << 20, info.Wtmax);
        Assert.Equal(1u << 20, info.Wtpref);
        Assert.Equal(64u * 1024, info.Dtpref);
        Assert.Equal(new Time3(0, 1), info.TimeDelta);
        Assert.Equal(0x1Bu, info.Properties); // LINK | SYMLINK | HOMOGENEOUS | CANSETTIME
        Assert.Equal((ulong)long.MaxValue, info.MaxFileSize);
        Assert.NotNull(info.Attributes);
    }

    [Fact]
    public async Task Fsstat_reports_the_filesystem_of_the_export()
    {
        var stat = await _c.FsStatAsync(await _c.RootAsync());
        Assert.Equal(NFS3_OK, stat.Status);
        Assert.True(stat.TotalBytes > 0);
        Assert.True(stat.FreeBytes <= stat.TotalBytes);
        Assert.True(stat.AvailableBytes <= stat.FreeBytes);
        Assert.Equal(0u, stat.Invarsec);
    }

    [Fact]
    public async Task Pathconf_reports_255_byte_names_that_are_refused_not_truncated()
    {
        var conf = await _c.PathConfAsync(await _c.RootAsync());
        Assert.Equal(NFS3_OK, conf.Status);
        Assert.Equal(255u, conf.NameMax);
        Assert.True(conf.NoTrunc);
        Assert.True(conf.ChownRestricted);
        Assert.False(conf.CaseInsensitive);
        Assert.True(conf.CasePreserving);
        Assert.True(conf.LinkMax > 1);
    }

    [Fact]
    public async Task Fileid_is_never_zero_in_any_reply()
    {
        var (root, file) = await FileAsync();
        Assert.NotEqual(0ul, (await _c.GetAttrAsync(file)).Attributes!.FileId);
        var lookup = await _c.LookupAsync(root, "f");
        Assert.NotEqual(0ul, lookup.Attributes!.FileId);
        Assert.NotEqual(0ul, lookup.DirAttributes!.FileId);
        var list = await _c.ReadDirPlusAsync(root);
        Assert.All(list.Entries, e =>
        {
            Assert.NotEqual(0ul, e.FileId);
            Assert.NotEqual(0ul, e.Attributes!.FileId);
        });
        Assert.All((await _c.ReadDirAsync(root)).Entries, e => Assert.NotEqual(0ul, e.FileId));
    }
}
