using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests;

/// <summary>`gateway mount` and `gateway export --mount`: the real program mounts, serves and always unmounts.</summary>
public sealed class FuseCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirs _dirs = new();
    private readonly string _mnt;

    public FuseCliTests()
    {
        _mnt = Path.Combine(_dirs.Base, "mnt");
        Directory.CreateDirectory(_mnt);
    }

    private static bool IsMounted(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);

    [Fact]
    public async Task Mount_serves_the_directory_and_unmounts_on_SIGTERM()
    {
        File.WriteAllText(Path.Combine(_dirs.Export, "a.txt"), "from disk\n");
        using var p = ChildProcess.StartDotnet("gateway.dll", "mount", _dirs.Export, _mnt, "--state-dir", _dirs.State);
        await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.Contains($"FUSE: {Path.GetFileName(_dirs.Export)} mounted at {_mnt}", p.Stdout);
        Assert.True(IsMounted(_mnt));
        Assert.Equal("from disk\n", File.ReadAllText(Path.Combine(_mnt, "a.txt")));
        File.WriteAllText(Path.Combine(_mnt, "b.txt"), "through the mount\n");
        Assert.Equal("through the mount\n", File.ReadAllText(Path.Combine(_dirs.Export, "b.txt")));

        p.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync(Timeout));
        Assert.False(IsMounted(_mnt));
    }

    [Fact]
    public async Task Unmounting_from_outside_ends_a_mount_only_gateway()
    {
        using var p = ChildProcess.StartDotnet("gateway.dll", "mount", _dirs.Export, _mnt, "--state-dir", _dirs.State);
        await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        using (var umount = ChildProcess.Start("umount", _mnt))
            Assert.Equal(0, await umount.WaitForExitAsync(Timeout));
        Assert.Equal(0, await p.WaitForExitAsync(Timeout));
        Assert.Contains("stopping (unmounted)", p.Stdout);
    }

    [Fact]
    public async Task Export_with_mount_serves_nfs_smb_and_the_mount_and_a_kill_9_mount_is_cleaned_at_next_start()
    {
        using (var p = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State,
                   "--nfs-port", "0", "--portmap", "off", "--smb-port", "0", "--mount", _mnt))
        {
            await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
            Assert.Matches(@"NFS:\s+127\.0\.0\.1 port \d+", p.Stdout);
            Assert.Matches(@"SMB:\s+127\.0\.0\.1 port \d+", p.Stdout);
            Assert.True(IsMounted(_mnt));
            p.Signal(ChildProcess.SIGKILL);
            await p.WaitForExitAsync(Timeout);
        }
        // The kernel keeps a dead mount (ENOTCONN) after a crash: the next start detaches it and mounts again.
        using var again = ChildProcess.StartDotnet("gateway.dll", "mount", _dirs.Export, _mnt, "--state-dir", _dirs.State);
        await again.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        File.WriteAllText(Path.Combine(_mnt, "c.txt"), "after the crash\n");
        Assert.True(File.Exists(Path.Combine(_dirs.Export, "c.txt")));
        again.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
        Assert.False(IsMounted(_mnt));
    }

    [Fact]
    public async Task Mounting_on_a_non_empty_directory_is_refused_with_one_line()
    {
        File.WriteAllText(Path.Combine(_mnt, "occupied"), "");
        using var p = ChildProcess.StartDotnet("gateway.dll", "mount", _dirs.Export, _mnt, "--state-dir", _dirs.State);
        Assert.Equal(2, await p.WaitForExitAsync(Timeout));
        var line = Assert.Single(p.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gateway: --mount {_mnt}: ", line);
    }

    public void Dispose()
    {
        if (IsMounted(_mnt))
            using (var u = ChildProcess.Start("umount", "-l", _mnt)) u.WaitForExitAsync(Timeout).Wait();
        _dirs.Dispose();
    }
}
