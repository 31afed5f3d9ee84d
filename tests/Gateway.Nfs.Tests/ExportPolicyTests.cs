using System.Net;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.Tests;

public sealed class ExportPolicyTests
{
    private static readonly Principal Anonymous = new(501, 20, [], "anon");

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("10.0.0.0/8", "10.200.3.4", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "::ffff:192.168.1.9", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("fd00::/8", "fd12::5", true)]
    [InlineData("fd00::/8", "10.0.0.1", false)]
    [InlineData("192.168.1.77/24", "192.168.1.9", true)]
    [InlineData("0.0.0.0/0", "198.51.100.3", true)]
    [InlineData("*", "203.0.113.9", true)]
    public void Host_matches_addresses_and_cidr_blocks(string entry, string client, bool matches)
    {
        Assert.Equal(matches, HostMatch.Parse(entry).Matches(IPAddress.Parse(client)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/33")]
    [InlineData("300.1.1.1")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/8x")]
    public void Host_names_and_malformed_entries_are_refused(string entry)
    {
        Assert.False(HostMatch.TryParse(entry, out _));
        Assert.Throws<FormatException>(() => HostMatch.Parse(entry));
    }

    [Fact]
    public void A_cidr_entry_is_listed_as_the_block_it_names()
    {
        Assert.Equal("192.168.1.0/24", HostMatch.Parse("192.168.1.77/24").Text);
        Assert.Equal("127.0.0.1", HostMatch.Parse("127.0.0.1").Text);
        Assert.Equal("*", HostMatch.Parse(" * ").Text);
    }

    [Fact]
    public void An_empty_host_list_admits_nobody()
    {
        var policy = new ExportPolicy();
        Assert.False(policy.Admits(IPAddress.Loopback));
        Assert.False(policy.Admits(null));
        Assert.True(ExportPolicy.Loopback.Admits(IPAddress.Loopback));
        Assert.True(ExportPolicy.Loopback.Admits(IPAddress.IPv6Loopback));
        Assert.False(ExportPolicy.Loopback.Admits(IPAddress.Parse("192.168.0.1")));
    }

    [Fact]
    public void All_squash_is_the_default_and_everyone_becomes_anonymous()
    {
        var policy = new ExportPolicy();
        Assert.Equal(Squash.All, policy.Squash);
        Assert.Same(Anonymous, policy.Map(RpcCredential.FromAuthSys(NfsClient.Sys(0, 0)), Anonymous));
        Assert.Same(Anonymous, policy.Map(RpcCredential.FromAuthSys(NfsClient.Sys(1000, 1000)), Anonymous));
    }

    [Fact]
    public void Auth_none_is_anonymous_whatever_the_squash()
    {
        foreach (var squash in Enum.GetValues<Squash>())
            Assert.Same(Anonymous, new ExportPolicy { Squash = squash }.Map(RpcCredential.None, Anonymous));
    }

    [Fact]
    public void Root_squash_maps_uid_and_gid_zero_and_keeps_other_users()
    {
        var policy = new ExportPolicy { Squash = Squash.Root };
        Assert.Same(Anonymous, policy.Map(RpcCredential.FromAuthSys(NfsClient.Sys(0, 0)), Anonymous));
        var user = policy.Map(RpcCredential.FromAuthSys(new AuthSysParams(1, "h", 1000, 0, [0, 27])), Anonymous);
        Assert.Equal(1000u, user.Uid);
        Assert.Equal(Anonymous.Gid, user.Gid);
        Assert.Equal([27u], user.Groups);
    }

    [Fact]
    public void No_squash_takes_the_auth_sys_identity_as_sent()
    {
        var p = new ExportPolicy { Squash = Squash.None }.Map(RpcCredential.FromAuthSys(NfsClient.Sys(0, 0)), Anonymous);
        Assert.Equal(0u, p.Uid);
        Assert.Equal([0u, 4u, 27u], p.Groups);
    }

    [Fact]
    public void The_anonymous_user_defaults_to_the_owner_of_the_export_root()
    {
        using var h = new NfsHarness();
        var root = h.Vfs.GetAttr(h.Vfs.Root).Value;
        Assert.Equal(root.Uid, h.Export.AnonUid);
        Assert.Equal(root.Gid, h.Export.AnonGid);
        var explicitIds = new NfsExport(h.Vfs.ExportId, "x", "/x", h.Vfs, new ExportPolicy { AnonUid = 65534, AnonGid = 65533 });
        Assert.Equal(65534u, explicitIds.Anonymous.Uid);
        Assert.Equal(65533u, explicitIds.Anonymous.Gid);
    }

    [Fact]
    public void Exports_are_found_by_id_mount_path_real_path_and_paths_beneath()
    {
        using var h = new NfsHarness(secondPolicy: ExportPolicy.Loopback);
        var exports = h.Exports;
        Assert.Same(h.Export, exports.FindById(h.Vfs.ExportId));
        Assert.Same(h.SecondExport, exports.FindById(h.SecondVfs!.ExportId));
        Assert.Null(exports.FindById(12345));
        Assert.Same(h.Export, exports.FindByMountPath("/export/"));
        Assert.Same(h.Export, exports.FindByMountPath(h.Tree.Root));
        Assert.Null(exports.FindByMountPath("/export/sub"));
        Assert.Same(h.Export, exports.Resolve("//export/./a/b", out var rest));
        Assert.Equal("a/b", rest);
        Assert.Same(h.Export, exports.Resolve(h.Tree.Root + "/src", out rest));
        Assert.Equal("src", rest);
        Assert.Null(exports.Resolve("/export/../second", out _));
        Assert.Null(exports.Resolve("/exported", out _));
        Assert.Null(exports.Resolve("export", out _));
    }

    [Fact]
    public void Two_exports_with_one_id_or_one_mount_path_are_refused()
    {
        using var h = new NfsHarness();
        var twin = new NfsExport(h.Export.Id, "twin", "/twin", h.Vfs, ExportPolicy.Loopback);
        Assert.Throws<ArgumentException>(() => new NfsExports(h.Export, twin));
        var samePath = new NfsExport(h.Export.Id + 1, "other", "/export", h.Vfs, ExportPolicy.Loopback);
        Assert.Throws<ArgumentException>(() => new NfsExports(h.Export, samePath));
    }
}
