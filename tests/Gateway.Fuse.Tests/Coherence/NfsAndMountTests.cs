using System.Diagnostics;
using System.Text;
using Gateway.Fuse.Tests.Posix;
using Xunit.Abstractions;
using static Gateway.Fuse.Tests.Posix.Libc;

namespace Gateway.Fuse.Tests.Coherence;

/// <summary>
/// One gateway, two doors: what an NFS client does (WRITE, SETATTR, RENAME, REMOVE over the wire, and a
/// real libnfs client, nfs-cp) is seen through the FUSE mount right after, with the mount's caches warm;
/// what is written through the mount, NFS reads; and byte-range locks conflict across the two:
/// an fcntl lock held on the mount denies an NLM lock, and an NLM lock makes fcntl fail.
/// </summary>
public sealed class NfsAndMountTests(GatewayWithMount gw, ITestOutputHelper output) : IClassFixture<GatewayWithMount>
{
    private static unsafe string Read(string path)
    {
        fixed (byte* p = Paths.Z(path))
        {
            var fd = Libc.Open(p, O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) return $"<open: {Errno.Name(Libc.LastErrno)}>";
            var buffer = new byte[1 << 20];
            nint n;
            fixed (byte* b = buffer) n = Libc.Pread(fd, b, (nuint)buffer.Length, 0);
            Libc.Close(fd);
            return n < 0 ? $"<read: {Errno.Name(Libc.LastErrno)}>" : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    private static unsafe bool Exists(string path)
    {
        Statx st;
        fixed (byte* p = Paths.Z(path)) return Libc.Statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st) == 0;
    }

    private async Task<(NfsWire Nfs, byte[] Root)> ConnectAsync()
    {
        var nfs = await NfsWire.ConnectAsync(gw.NfsPort);
        return (nfs, await nfs.MountAsync("/" + GatewayWithMount.Name));
    }

    private static string List(string dir) =>
        string.Join(",", (PosixRun.ReadDir(Paths.Z(dir), out _) ?? []).Select(e => Encoding.UTF8.GetString(e.Name)).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Nfs_writes_are_read_through_the_warm_mount()
    {
        Directory.CreateDirectory(gw.D("w"));
        File.WriteAllText(gw.D("w/f"), new string('o', 5000));
        Assert.Equal(new string('o', 5000), Read(gw.M("w/f")));     // warm the mount's cache
        var (nfs, root) = await ConnectAsync();
        await using var _ = nfs;
        var fh = await nfs.LookupPathAsync(root, "w/f");

        Assert.Equal(0u, await nfs.WriteAsync(fh, 0, new string('n', 5000)));  // same size
        var same = Eventually.Within(() => Read(gw.M("w/f")) == new string('n', 5000), () => $"read '{PosixRun.Show(Read(gw.M("w/f")))}'");

        Assert.Equal(0u, await nfs.WriteAsync(fh, 5000, "+tail"));             // grows
        var grown = Eventually.Within(() => Read(gw.M("w/f")) == new string('n', 5000) + "+tail", () => $"read '{PosixRun.Show(Read(gw.M("w/f")))}'");

        Assert.Equal(0u, await nfs.SetSizeAsync(fh, 10));                        // shrinks
        var cut = Eventually.Within(() => Read(gw.M("w/f")) == new string('n', 10), () => $"read '{PosixRun.Show(Read(gw.M("w/f")))}'");

        var created = await nfs.CreateAsync(await nfs.LookupPathAsync(root, "w"), "new");
        Assert.Equal(0u, await nfs.WriteAsync(created, 0, "made over NFS"));
        var appeared = Eventually.Within(() => Read(gw.M("w/new")) == "made over NFS" && List(gw.M("w")) == "f,new", () => $"listing [{List(gw.M("w"))}]");
        output.WriteLine($"NFS -> mount: rewrite {same.TotalMilliseconds:F0} ms, growth {grown.TotalMilliseconds:F0} ms, " +
                         $"truncate {cut.TotalMilliseconds:F0} ms, create {appeared.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Nfs_renames_and_removes_are_seen_in_the_mounts_listing_and_lookups()
    {
        Directory.CreateDirectory(gw.D("r/sub"));
        File.WriteAllText(gw.D("r/a"), "a");
        File.WriteAllText(gw.D("r/b"), "b");
        Assert.Equal("a,b,sub", List(gw.M("r")));                        // warm listing and lookups
        Assert.True(Exists(gw.M("r/a")));
        Assert.False(Exists(gw.M("r/sub/a2")));
        Assert.Equal("a", Read(gw.M("r/a")));

        var (nfs, root) = await ConnectAsync();
        await using var _ = nfs;
        var dir = await nfs.LookupPathAsync(root, "r");
        var sub = await nfs.LookupPathAsync(root, "r/sub");

        Assert.Equal(0u, await nfs.RenameAsync(dir, "a", sub, "a2"));
        var moved = Eventually.Within(() => !Exists(gw.M("r/a")) && Read(gw.M("r/sub/a2")) == "a" && List(gw.M("r")) == "b,sub" && List(gw.M("r/sub")) == "a2",
            () => $"r [{List(gw.M("r"))}], r/sub [{List(gw.M("r/sub"))}]");

        Assert.Equal(0u, await nfs.RenameAsync(dir, "b", sub, "a2"));      // over an existing file
        var replaced = Eventually.Within(() => Read(gw.M("r/sub/a2")) == "b" && !Exists(gw.M("r/b")), () => $"r/sub/a2 reads '{Read(gw.M("r/sub/a2"))}'");

        Assert.Equal(0u, await nfs.RemoveAsync(sub, "a2"));
        var removed = Eventually.Within(() => !Exists(gw.M("r/sub/a2")) && List(gw.M("r/sub")) == "", () => $"r/sub [{List(gw.M("r/sub"))}]");
        output.WriteLine($"NFS -> mount: rename {moved.TotalMilliseconds:F0} ms, rename over {replaced.TotalMilliseconds:F0} ms, remove {removed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Mount_writes_are_read_over_nfs()
    {
        var (nfs, root) = await ConnectAsync();
        await using var _ = nfs;
        Directory.CreateDirectory(gw.M("m"));
        File.WriteAllText(gw.M("m/f"), "first");
        var fh = await nfs.LookupPathAsync(root, "m/f");
        Assert.Equal("first", await nfs.ReadAsync(fh));
        Assert.Equal(14, PwriteAndClose(gw.M("m/f"), "SECOND, longer"u8.ToArray())); // close flushes: NFS must see it now
        Assert.Equal("SECOND, longer", await nfs.ReadAsync(fh));
    }

    [Fact]
    public async Task A_file_copied_in_with_nfs_cp_is_read_through_the_mount()
    {
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);
        var local = Path.Combine(gw.Scratch, "nfscp.bin");
        File.WriteAllBytes(local, data);
        Directory.CreateDirectory(gw.D("cp"));
        Assert.Equal("", List(gw.M("cp")));                                 // warm: the mount has seen cp/ empty
        var url = $"nfs://127.0.0.1/{GatewayWithMount.Name}/cp/copied.bin?nfsport={gw.NfsPort}&mountport={gw.NfsPort}&version=3";
        var (exit, stdout, stderr) = Run("nfs-cp", local, url);
        Assert.True(exit == 0, $"nfs-cp: exit {exit}: {stdout} {stderr}");
        Eventually.Within(() => Exists(gw.M("cp/copied.bin")) && new FileInfo(gw.M("cp/copied.bin")).Length == data.Length,
            () => $"cp [{List(gw.M("cp"))}]");
        Assert.True(File.ReadAllBytes(gw.M("cp/copied.bin")).AsSpan().SequenceEqual(data), "the copy read through the mount differs from what nfs-cp sent");

        // And back: a file written through the mount, copied out with nfs-cp.
        File.WriteAllBytes(gw.M("cp/from-mount.bin"), data);
        var outPath = Path.Combine(gw.Scratch, "out.bin");
        (exit, stdout, stderr) = Run("nfs-cp", $"nfs://127.0.0.1/{GatewayWithMount.Name}/cp/from-mount.bin?nfsport={gw.NfsPort}&mountport={gw.NfsPort}&version=3", outPath);
        Assert.True(exit == 0, $"nfs-cp out: exit {exit}: {stdout} {stderr}");
        Assert.True(File.ReadAllBytes(outPath).AsSpan().SequenceEqual(data), "nfs-cp read back something else than the mount wrote");
    }

    [Fact]
    public async Task An_fcntl_lock_on_the_mount_and_an_nlm_lock_exclude_each_other()
    {
        File.WriteAllText(gw.D("locked"), "0123456789");
        var (nfs, root) = await ConnectAsync();
        await using var _ = nfs;
        var fh = await nfs.LookupPathAsync(root, "locked");
        var fd = OpenRdwr(gw.M("locked"));
        Assert.True(fd >= 0, Errno.Name(Libc.LastErrno));
        try
        {
            // The mount holds a write lock on bytes 0..9: NLM must be refused, for TEST and LOCK.
            Assert.Equal(0, SetLock(fd, F_WRLCK, 0, 10));
            Assert.Equal(NfsWire.Nlm4Denied, await nfs.NlmTestAsync(fh, 5, 1));
            Assert.Equal(NfsWire.Nlm4Denied, await nfs.NlmLockAsync(fh, 5, 1));
            Assert.Equal(NfsWire.Nlm4Granted, await nfs.NlmLockAsync(fh, 10, 5));  // outside the range: fine

            // Released on the mount: NLM gets it.
            Assert.Equal(0, SetLock(fd, F_UNLCK, 0, 10));
            Assert.Equal(NfsWire.Nlm4Granted, await nfs.NlmLockAsync(fh, 0, 10));

            // Now NLM holds 0..14: fcntl on the mount fails (EAGAIN, or EACCES as POSIX also allows), F_GETLK shows it.
            Assert.Equal(-1, SetLock(fd, F_WRLCK, 3, 2));
            Assert.True(Libc.LastErrno is Errno.EAGAIN or Errno.EACCES, $"fcntl F_SETLK: {Errno.Name(Libc.LastErrno)}");
            Assert.Equal(-1, SetLock(fd, F_RDLCK, 12, 1));
            Assert.Equal(F_WRLCK, GetLockType(fd, 0, 100));
            Assert.Equal(0, SetLock(fd, F_WRLCK, 20, 5));                          // beyond NLM's range

            // NLM unlocks: the mount gets its lock.
            Assert.Equal(NfsWire.Nlm4Granted, await nfs.NlmUnlockAsync(fh, 0, 10));
            Assert.Equal(NfsWire.Nlm4Granted, await nfs.NlmUnlockAsync(fh, 10, 5));
            Assert.Equal(0, SetLock(fd, F_WRLCK, 0, 15));
            Assert.Equal(NfsWire.Nlm4Denied, await nfs.NlmTestAsync(fh, 14, 1));
        }
        finally
        {
            Libc.Close(fd); // close drops the process's POSIX locks on the file
        }
        Eventually.Within(() => nfs.NlmTestAsync(fh, 0, 1).Result == NfsWire.Nlm4Granted, () => "the mount's lock outlived close()");
    }

    private static unsafe int OpenRdwr(string path)
    {
        fixed (byte* p = Paths.Z(path)) return Libc.Open(p, O_RDWR | O_CLOEXEC, 0);
    }

    private static unsafe int PwriteAndClose(string path, byte[] bytes)
    {
        fixed (byte* p = Paths.Z(path))
        {
            var fd = Libc.Open(p, O_WRONLY | O_CLOEXEC, 0);
            if (fd < 0) return -Libc.LastErrno;
            nint n;
            fixed (byte* b = bytes) n = Libc.Pwrite(fd, b, (nuint)bytes.Length, 0);
            Libc.Close(fd);
            return (int)n;
        }
    }

    /// <summary>F_GETLK: the type of a lock that would block a write lock on the range (F_UNLCK: none).</summary>
    private static unsafe short GetLockType(int fd, long start, long length)
    {
        var probe = new Flock { Type = F_WRLCK, Whence = 0, Start = start, Length = length };
        return Libc.FcntlLock(fd, F_GETLK, &probe) == 0 ? probe.Type : (short)-Libc.LastErrno;
    }

    private static unsafe int SetLock(int fd, short type, long start, long length)
    {
        var lk = new Flock { Type = type, Whence = 0, Start = start, Length = length };
        return Libc.FcntlLock(fd, F_SETLK, &lk);
    }

    internal static (int Exit, string Out, string Err) Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        var err = p.StandardError.ReadToEndAsync();
        var outp = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (p.ExitCode, outp.Result, err.Result);
    }
}
