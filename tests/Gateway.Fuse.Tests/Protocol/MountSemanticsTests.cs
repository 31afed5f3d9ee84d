using System.Runtime.InteropServices;
using System.Text;
using Gateway.Fuse.Tests.Support;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>Names, links, xattrs, open-after-unlink and passthrough through a real mount.</summary>
public sealed partial class MountSemanticsTests : IAsyncLifetime
{
    private MountedExport _m = null!;

    public Task InitializeAsync()
    {
        _m = new MountedExport();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Getxattr(string path, string name, byte[]? value, nuint size);

    private const int AT_FDCWD = -100;

    [Fact]
    public void Rename_plain_noreplace_and_exchange_behave_like_renameat2()
    {
        File.WriteAllText(_m.M("a"), "A");
        File.WriteAllText(_m.M("b"), "B");
        Assert.Equal(-1, Renameat2(AT_FDCWD, _m.M("a"), AT_FDCWD, _m.M("b"), 1 /* NOREPLACE */));
        Assert.Equal(17 /* EEXIST */, Marshal.GetLastPInvokeError());

        Assert.Equal(0, Renameat2(AT_FDCWD, _m.M("a"), AT_FDCWD, _m.M("b"), 2 /* EXCHANGE */));
        Assert.Equal("B", File.ReadAllText(_m.M("a")));
        Assert.Equal("A", File.ReadAllText(_m.M("b")));
        Assert.Equal("B", File.ReadAllText(_m.D("a")));

        Directory.CreateDirectory(_m.M("sub"));
        File.Move(_m.M("a"), _m.M("sub/moved"));
        Assert.False(File.Exists(_m.M("a")));
        Assert.Equal("B", File.ReadAllText(_m.D("sub/moved")));
        File.Move(_m.M("b"), _m.M("sub/moved"), overwrite: true);
        Assert.Equal("A", File.ReadAllText(_m.M("sub/moved")));
    }

    [Fact]
    public void Hard_links_and_symlinks_are_real_on_disk()
    {
        File.WriteAllText(_m.M("target"), "data");
        Assert.Equal(0, MountedExport.Run("ln", _m.M("target"), _m.M("hard")).Exit);
        Assert.Equal("2", MountedExport.Run("stat", "-c", "%h", _m.M("target")).Out.Trim());
        Assert.Equal(MountedExport.Run("stat", "-c", "%i", _m.D("target")).Out, MountedExport.Run("stat", "-c", "%i", _m.D("hard")).Out);

        File.CreateSymbolicLink(_m.M("link"), "target");
        Assert.Equal("target", MountedExport.Run("readlink", _m.M("link")).Out.Trim());
        Assert.Equal("target", MountedExport.Run("readlink", _m.D("link")).Out.Trim());
        Assert.Equal("data", File.ReadAllText(_m.M("link"))); // the kernel follows it inside the mount
        File.Delete(_m.M("hard"));
        Assert.Equal("1", MountedExport.Run("stat", "-c", "%h", _m.M("target")).Out.Trim());
    }

    [Fact]
    public void User_xattrs_round_trip_with_setfattr_and_getfattr()
    {
        File.WriteAllText(_m.M("x"), "");
        Assert.Equal(0, MountedExport.Run("setfattr", "-n", "user.color", "-v", "blue", _m.M("x")).Exit);
        var get = MountedExport.Run("getfattr", "--only-values", "-n", "user.color", _m.M("x"));
        Assert.Equal("blue", get.Out);
        Assert.Contains("user.color", MountedExport.Run("getfattr", "-d", _m.D("x")).Out); // really on the file
        Assert.Contains("user.color", MountedExport.Run("getfattr", "-d", _m.M("x")).Out);

        // size-0 probe, then a buffer too small: ERANGE
        Assert.Equal(4, (int)Getxattr(_m.M("x"), "user.color", null, 0));
        Assert.Equal(-1, (int)Getxattr(_m.M("x"), "user.color", new byte[2], 2));
        Assert.Equal(34 /* ERANGE */, Marshal.GetLastPInvokeError());
        Assert.Equal(-1, (int)Getxattr(_m.M("x"), "user.missing", null, 0));
        Assert.Equal(61 /* ENODATA */, Marshal.GetLastPInvokeError());

        var trusted = MountedExport.Run("setfattr", "-n", "trusted.evil", "-v", "1", _m.M("x"));
        Assert.NotEqual(0, trusted.Exit);
        Assert.Contains("not supported", trusted.Err, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(0, MountedExport.Run("setfattr", "-x", "user.color", _m.M("x")).Exit);
        Assert.DoesNotContain("user.color", MountedExport.Run("getfattr", "-d", _m.D("x")).Out);
    }

    [Fact]
    public void An_open_file_keeps_working_after_its_name_is_unlinked()
    {
        File.WriteAllText(_m.M("doomed"), "still here");
        using (var fs = new FileStream(_m.M("doomed"), FileMode.Open, FileAccess.ReadWrite))
        {
            File.Delete(_m.M("doomed"));
            Assert.False(File.Exists(_m.M("doomed")));
            Assert.False(File.Exists(_m.D("doomed")));
            var buf = new byte[64];
            var n = fs.Read(buf);
            Assert.Equal("still here", Encoding.UTF8.GetString(buf, 0, n));
            fs.Write(" and more"u8);
            fs.Flush();
            fs.Position = 0;
            n = fs.Read(buf);
            Assert.Equal("still here and more", Encoding.UTF8.GetString(buf, 0, n));
            Assert.Equal(19, fs.Length); // fstat of a file with no name left
            fs.SetLength(5); // ftruncate through the open file
            Assert.Equal(5, fs.Length);
        }
    }

    [Fact]
    public void Passthrough_is_used_when_the_kernel_offers_it()
    {
        var mount = _m.Mount!;
        File.WriteAllText(_m.M("p"), "passthrough data");
        Assert.Equal("passthrough data", File.ReadAllText(_m.M("p")));
        // What this kernel did, for the record (visible with --logger "console;verbosity=detailed").
        Assert.Equal(_m.Options.ReaderThreads - 1, mount.ClonedReaders); // every reader but the first has its own clone
        Console.WriteLine($"kernel FUSE 7.{mount.KernelMinor}, negotiated 7.{mount.ProtocolMinor}, passthrough offered={mount.PassthroughOffered} enabled={mount.PassthroughEnabled} opens={mount.PassthroughOpens}");
        if (!mount.PassthroughOffered)
        {
            Assert.False(mount.PassthroughEnabled);
            Assert.Equal(0, mount.PassthroughOpens);
            return;
        }
        Assert.True(mount.PassthroughEnabled, string.Join('\n', _m.LogLines));
        Assert.True(mount.PassthroughOpens >= 2, $"{mount.PassthroughOpens} passthrough opens; log:\n{string.Join('\n', _m.LogLines)}");
    }

    [Fact]
    public void Chmod_chown_truncate_and_utimes_are_applied_on_disk()
    {
        File.WriteAllText(_m.M("s"), "0123456789");
        Assert.Equal(0, MountedExport.Run("chmod", "600", _m.M("s")).Exit);
        Assert.Equal(0, MountedExport.Run("chown", "1234:2345", _m.M("s")).Exit);
        Assert.Equal(0, MountedExport.Run("truncate", "-s", "4", _m.M("s")).Exit);
        Assert.Equal(0, MountedExport.Run("touch", "-m", "-d", "2001-02-03 04:05:06Z", _m.M("s")).Exit);
        Assert.Equal("600 1234 2345 4 981173106", MountedExport.Run("stat", "-c", "%a %u %g %s %Y", _m.D("s")).Out.Trim());
        Assert.Equal("600 1234 2345 4 981173106", MountedExport.Run("stat", "-c", "%a %u %g %s %Y", _m.M("s")).Out.Trim());
    }

    [Fact]
    public void Mknod_fifo_and_rmdir_work()
    {
        Assert.Equal(0, MountedExport.Run("mkfifo", _m.M("pipe")).Exit);
        Assert.Equal("fifo", MountedExport.Run("stat", "-c", "%F", _m.D("pipe")).Out.Trim());
        Directory.CreateDirectory(_m.M("d/e"));
        Assert.NotEqual(0, MountedExport.Run("rmdir", _m.M("d")).Exit); // not empty
        Directory.Delete(_m.M("d/e"));
        Directory.Delete(_m.M("d"));
        Assert.False(Directory.Exists(_m.D("d")));
    }

    [Fact]
    public void Fallocate_seek_hole_and_copy_file_range_go_through_the_open_file()
    {
        Assert.Equal(0, MountedExport.Run("fallocate", "-l", "1M", _m.M("alloc")).Exit);
        Assert.Equal(1 << 20, new FileInfo(_m.D("alloc")).Length);
        File.WriteAllText(_m.M("src"), new string('z', 100_000));
        // cp uses copy_file_range when it can; either way the copy must be exact.
        Assert.Equal(0, MountedExport.Run("cp", "--reflink=never", _m.M("src"), _m.M("dst")).Exit);
        Assert.Equal(File.ReadAllBytes(_m.D("src")), File.ReadAllBytes(_m.D("dst")));
        var seek = MountedExport.Run("/usr/bin/python3", "-c",
            $"import os; fd=os.open('{_m.M("alloc")}', os.O_RDONLY); print(os.lseek(fd, 0, os.SEEK_HOLE))");
        Assert.Equal(0, seek.Exit);
        Assert.True(long.Parse(seek.Out.Trim()) >= 0);
    }

    [Fact]
    public void Another_user_creates_as_itself_and_its_supplementary_groups_count()
    {
        Directory.CreateDirectory(_m.M("team"));
        Assert.Equal(0, MountedExport.Run("chown", "0:4242", _m.M("team")).Exit);
        Assert.Equal(0, MountedExport.Run("chmod", "2770", _m.M("team")).Exit); // setgid, group-writable, no access for others

        // uid 1000 is in group 4242 only as a supplementary group: the kernel lets it in (default_permissions),
        // and the Vfs must agree, reading the groups of the calling process.
        var r = MountedExport.Run("setpriv", "--reuid=1000", "--regid=1000", "--groups=4242", "--",
            "sh", "-c", $"echo hi > {_m.M("team/mine")} && mkdir {_m.M("team/sub")} && cat {_m.M("team/mine")}");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("hi", r.Out.Trim());
        Assert.Equal("1000 4242", MountedExport.Run("stat", "-c", "%u %g", _m.D("team/mine")).Out.Trim()); // group from the setgid dir
        Assert.Equal("1000 4242", MountedExport.Run("stat", "-c", "%u %g", _m.D("team/sub")).Out.Trim());

        var outsider = MountedExport.Run("setpriv", "--reuid=1001", "--regid=1001", "--clear-groups", "--", "sh", "-c", $"echo x > {_m.M("team/no")}");
        Assert.NotEqual(0, outsider.Exit);
        Assert.Contains("Permission denied", outsider.Err);
    }

    [Fact]
    public void Open_read_only_with_O_TRUNC_truncates_like_linux_and_seek_data_past_a_negative_offset_is_ENXIO()
    {
        File.WriteAllText(_m.M("tr"), "keep?");
        var r = MountedExport.Run("/usr/bin/python3", "-c",
            $"import os,errno\nfd=os.open('{_m.M("tr")}', os.O_RDONLY|os.O_TRUNC)\nprint(os.fstat(fd).st_size)\n" +
            "try:\n  os.lseek(fd, -1, os.SEEK_DATA)\nexcept OSError as e:\n  print(errno.errorcode[e.errno])\n");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("0\nENXIO", r.Out.Trim());
        Assert.Equal(0, new FileInfo(_m.D("tr")).Length);
    }

    [Fact]
    public void Mmap_writes_reach_the_file()
    {
        File.WriteAllText(_m.M("mm"), new string('a', 8192));
        var r = MountedExport.Run("/usr/bin/python3", "-c",
            $"import mmap\nwith open('{_m.M("mm")}','r+b') as f:\n  m=mmap.mmap(f.fileno(), 0)\n  m[0:5]=b'HELLO'\n  m.flush()\n  m.close()\n");
        Assert.True(r.Exit == 0, r.Err);
        Assert.StartsWith("HELLOaaa", File.ReadAllText(_m.D("mm")));
        Assert.StartsWith("HELLOaaa", File.ReadAllText(_m.M("mm")));
    }
}
