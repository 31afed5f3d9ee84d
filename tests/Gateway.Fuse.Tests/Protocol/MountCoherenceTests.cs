using System.Text;
using Gateway.Fuse.Tests.Support;
using Gateway.Vfs;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>What changes behind the mount (on disk, or through the Vfs as another protocol) is seen through it.</summary>
public sealed class MountCoherenceTests
{
    public static TheoryData<bool> PassthroughModes => new() { true, false };

    private static void Settle(MountedExport m)
    {
        m.Vfs.SyncExternalChanges();
        Assert.True(m.Mount!.WaitForInvalidations(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(PassthroughModes))]
    public async Task A_file_changed_on_disk_is_read_fresh_through_a_warm_mount(bool passthrough)
    {
        await using var m = new MountedExport(new FuseMountOptions { Passthrough = passthrough });
        File.WriteAllText(m.D("c.txt"), "version-1");
        using (var held = new FileStream(m.M("c.txt"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
        {
            var buf = new byte[64];
            Assert.Equal("version-1", Encoding.UTF8.GetString(buf, 0, held.Read(buf))); // the page cache is warm now

            File.WriteAllText(m.D("c.txt"), "VERSION-2"); // same size: only invalidation can reveal it
            Settle(m);
            held.Position = 0;
            Assert.Equal("VERSION-2", Encoding.UTF8.GetString(buf, 0, held.Read(buf)));
        }
        Assert.Equal("VERSION-2", File.ReadAllText(m.M("c.txt")));
    }

    [Theory]
    [MemberData(nameof(PassthroughModes))]
    public async Task A_write_by_another_protocol_through_the_vfs_is_seen_through_the_mount(bool passthrough)
    {
        await using var m = new MountedExport(new FuseMountOptions { Passthrough = passthrough });
        File.WriteAllText(m.M("v.txt"), "aaaa");
        Assert.Equal("aaaa", File.ReadAllText(m.M("v.txt")));
        using (var held = new FileStream(m.M("v.txt"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
        {
            var buf = new byte[16];
            Assert.Equal(4, held.Read(buf));
            var node = m.Vfs.LookupPath(Principal.Root, "v.txt").Value;
            var w = await m.Vfs.WriteAsync(Principal.Root, node, 0, "bbbb"u8.ToArray(), WriteStability.FileSync);
            Assert.True(w.IsOk);
            Assert.True(m.Mount!.WaitForInvalidations(TimeSpan.FromSeconds(10)));
            held.Position = 0;
            Assert.Equal("bbbb", Encoding.UTF8.GetString(buf, 0, held.Read(buf)));
        }
    }

    [Fact]
    public async Task Names_created_renamed_and_removed_outside_show_through_the_mount()
    {
        await using var m = new MountedExport();
        File.WriteAllText(m.D("old"), "o");
        Assert.True(File.Exists(m.M("old")));
        Assert.False(File.Exists(m.M("new")));

        File.Move(m.D("old"), m.D("new"));
        Settle(m);
        Assert.False(File.Exists(m.M("old")));
        Assert.Equal("o", File.ReadAllText(m.M("new")));

        File.Delete(m.D("new"));
        File.WriteAllText(m.D("born"), "b");
        Settle(m);
        Assert.False(File.Exists(m.M("new")));
        Assert.Equal("b", File.ReadAllText(m.M("born")));
        Assert.Contains("born", Directory.GetFiles(m.MountPoint).Select(Path.GetFileName));
    }
}
