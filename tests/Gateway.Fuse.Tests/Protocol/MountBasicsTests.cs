using System.Text;
using Gateway.Fuse.Tests.Support;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>Ordinary file operations through a real FUSE mount, checked on the disk underneath.</summary>
public sealed class MountBasicsTests : IAsyncLifetime
{
    private MountedExport _m = null!;

    public Task InitializeAsync()
    {
        _m = new MountedExport();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [Fact]
    public void Create_write_read_stat_through_the_mount_reach_the_disk()
    {
        var data = Encoding.UTF8.GetBytes("hello through fuse\n");
        File.WriteAllBytes(_m.M("a.txt"), data);
        Assert.Equal(data, File.ReadAllBytes(_m.D("a.txt")));
        Assert.Equal(data, File.ReadAllBytes(_m.M("a.txt")));
        Assert.Equal(data.Length, new FileInfo(_m.M("a.txt")).Length);

        var big = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(_m.M("big.bin"), big);
        Assert.Equal(big, File.ReadAllBytes(_m.D("big.bin")));
        Assert.Equal(big, File.ReadAllBytes(_m.M("big.bin")));
    }

    [Fact]
    public void Mkdir_and_readdir_of_2000_entries_lists_every_name_once()
    {
        Directory.CreateDirectory(_m.M("many"));
        for (var i = 0; i < 2000; i++) File.WriteAllText(_m.M($"many/f{i:D4}"), "");
        var names = Directory.GetFiles(_m.M("many")).Select(Path.GetFileName).ToList();
        Assert.Equal(2000, names.Count);
        Assert.Equal(2000, names.Distinct().Count());
        var ls = MountedExport.Run("ls", "-a", _m.M("many"));
        Assert.Equal(0, ls.Exit);
        var lines = ls.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(".", lines);
        Assert.Contains("..", lines);
        Assert.Equal(2002, lines.Length);
    }

    [Fact]
    public void Stat_reports_mode_size_and_type_like_the_disk()
    {
        File.WriteAllText(_m.M("m"), "12345");
        File.SetUnixFileMode(_m.M("m"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var viaMount = MountedExport.Run("stat", "-c", "%a %s %F %h", _m.M("m")).Out.Trim();
        var onDisk = MountedExport.Run("stat", "-c", "%a %s %F %h", _m.D("m")).Out.Trim();
        Assert.Equal(onDisk, viaMount);
        Assert.Equal("640 5 regular file 1", viaMount);
        // statx through the mount (FUSE_STATX) carries a birth time.
        Assert.True(long.Parse(MountedExport.Run("stat", "-c", "%W", _m.M("m")).Out.Trim()) > 0);
    }
}
