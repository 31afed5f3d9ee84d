using Gateway.Fuse.Tests.Support;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>Mounting, refusing to mount, and leaving nothing behind.</summary>
public sealed class MountLifecycleTests
{
    [Fact]
    public async Task Dispose_leaves_no_mount_behind()
    {
        var m = new MountedExport();
        var mp = m.MountPoint;
        Assert.True(MountedExport.IsMounted(mp));
        File.WriteAllText(m.M("f"), "x");
        await m.Mount!.DisposeAsync();
        Assert.False(MountedExport.IsMounted(mp));
        await m.Mount.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await m.DisposeAsync();
    }

    [Fact]
    public async Task Dispose_with_a_file_still_open_unmounts_lazily_without_hanging()
    {
        var m = new MountedExport();
        var mp = m.MountPoint;
        var held = new FileStream(m.M("busy"), FileMode.Create);
        try
        {
            await m.Mount!.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)); // throws TimeoutException if it hangs
            Assert.False(MountedExport.IsMounted(mp));
        }
        finally
        {
            try { held.Dispose(); } catch (IOException) { } // the connection is gone: closing may report it
        }
        await m.DisposeAsync();
    }

    [Fact]
    public async Task A_mount_point_that_is_not_empty_is_refused_with_one_line()
    {
        await using var m = new MountedExport(mount: false);
        File.WriteAllText(Path.Combine(m.MountPoint, "occupied"), "");
        var e = Assert.Throws<FuseMountException>(() => FuseMount.Mount(m.Vfs, m.MountPoint, new FuseMountOptions()));
        Assert.Contains("not empty", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(MountedExport.IsMounted(m.MountPoint));
    }

    [Fact]
    public async Task A_missing_mount_point_is_refused()
    {
        await using var m = new MountedExport(mount: false);
        var e = Assert.Throws<FuseMountException>(() => FuseMount.Mount(m.Vfs, Path.Combine(m.Base, "nope"), new FuseMountOptions()));
        Assert.Contains("does not exist", e.Message);
        File.WriteAllText(Path.Combine(m.Base, "file"), "");
        e = Assert.Throws<FuseMountException>(() => FuseMount.Mount(m.Vfs, Path.Combine(m.Base, "file"), new FuseMountOptions()));
        Assert.Contains("not a directory", e.Message);
    }

    [Fact]
    public async Task A_second_mount_on_a_live_mount_is_busy()
    {
        await using var m = new MountedExport();
        var e = Assert.Throws<FuseMountException>(() => FuseMount.Mount(m.Vfs, m.MountPoint, new FuseMountOptions()));
        Assert.Contains("busy", e.Message);
    }

    [Fact]
    public async Task Mounting_through_fusermount3_works_and_unmounts()
    {
        var m = new MountedExport(new FuseMountOptions { UseFusermount = true });
        var mp = m.MountPoint;
        try
        {
            File.WriteAllText(m.M("via-fusermount"), "ok");
            Assert.Equal("ok", File.ReadAllText(m.D("via-fusermount")));
        }
        finally
        {
            await m.DisposeAsync();
        }
        Assert.False(MountedExport.IsMounted(mp));
    }

    [Fact]
    public async Task A_dead_mount_left_by_a_crash_is_detached_and_mounted_again()
    {
        await using var m = new MountedExport();
        File.WriteAllText(m.M("kept"), "survives");
        m.Mount!.AbandonForTests(); // the gateway "crashed": the kernel mount stays, its server is gone
        Assert.True(MountedExport.IsMounted(m.MountPoint));
        var e = Assert.ThrowsAny<IOException>(() => Directory.GetFiles(m.MountPoint));
        Assert.Contains("not connected", e.Message, StringComparison.OrdinalIgnoreCase);

        await using var again = FuseMount.Mount(m.Vfs, m.MountPoint, new FuseMountOptions());
        Assert.Equal("survives", File.ReadAllText(m.M("kept")));
        await again.DisposeAsync();
        Assert.False(MountedExport.IsMounted(m.MountPoint));
    }

    [Fact]
    public async Task A_read_only_mount_refuses_writes_but_reads()
    {
        await using var m = new MountedExport(new FuseMountOptions { ReadOnly = true });
        File.WriteAllText(m.D("r"), "read me");
        Assert.Equal("read me", File.ReadAllText(m.M("r")));
        var e = Assert.ThrowsAny<IOException>(() => File.WriteAllText(m.M("w"), "no"));
        Assert.Contains("read-only", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(m.D("w")));
    }

    [Fact]
    public async Task Completion_finishes_when_someone_else_unmounts()
    {
        await using var m = new MountedExport();
        Assert.Equal(0, MountedExport.Run("umount", m.MountPoint).Exit);
        await m.Mount!.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(MountedExport.IsMounted(m.MountPoint));
    }
}
