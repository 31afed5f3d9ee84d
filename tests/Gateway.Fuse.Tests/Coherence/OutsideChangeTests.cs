using System.Text;
using Gateway.Fuse.Tests.Posix;
using Xunit.Abstractions;
using static Gateway.Fuse.Tests.Posix.Libc;

namespace Gateway.Fuse.Tests.Coherence;

/// <summary>
/// Changes made directly in the backing directory (an editor, git, another program: outside the gateway)
/// are seen through the mount right after, even when the mount has the old data in its page cache or the
/// old entries in its dentry cache.
/// </summary>
public sealed unsafe class OutsideChangeTests(MountFixture fixture, ITestOutputHelper output) : IClassFixture<MountFixture>
{
    private (string Mount, string Disk) Fresh(string name)
    {
        var (onMount, _) = fixture.FreshPair(name);
        return (onMount, Path.Combine(fixture.Mount.BackingDirectory, name));
    }

    private static string ReadThrough(string path)
    {
        fixed (byte* p = Paths.Z(path))
        {
            var fd = Libc.Open(p, O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) return $"<open: {Errno.Name(Libc.LastErrno)}>";
            try
            {
                return ReadFd(fd);
            }
            finally
            {
                Libc.Close(fd);
            }
        }
    }

    private static string ReadFd(int fd)
    {
        var buffer = new byte[1 << 20];
        fixed (byte* b = buffer)
        {
            var n = Libc.Pread(fd, b, (nuint)buffer.Length, 0);
            return n < 0 ? $"<read: {Errno.Name(Libc.LastErrno)}>" : Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    private static long SizeThrough(string path)
    {
        Statx st;
        fixed (byte* p = Paths.Z(path)) return Libc.Statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, &st) == 0 ? (long)st.Size : -Libc.LastErrno;
    }

    /// <summary>pwrite on the disk file, as an editor saving in place would.</summary>
    private static void WriteOutside(string path, string data, long offset, long? truncateTo = null)
    {
        fixed (byte* p = Paths.Z(path))
        {
            var fd = Libc.Open(p, O_WRONLY | O_CLOEXEC, 0);
            Assert.True(fd >= 0, $"open {path}: {Errno.Name(Libc.LastErrno)}");
            var bytes = Encoding.UTF8.GetBytes(data);
            fixed (byte* b = bytes) Assert.Equal(bytes.Length, (int)Libc.Pwrite(fd, b, (nuint)bytes.Length, offset));
            if (truncateTo is { } t) Assert.Equal(0, Libc.Ftruncate(fd, t));
            Libc.Close(fd);
        }
    }

    private static string Block(char c, int n) => new(c, n);

    [Fact]
    public void Same_size_rewrite_outside_is_read_fresh_after_a_warm_read()
    {
        var (m, d) = Fresh("coh-same-size");
        var old = Block('o', 10000);
        File.WriteAllText(Path.Combine(d, "f"), old);
        Assert.Equal(old, ReadThrough(Path.Combine(m, "f")));   // warm: the mount's page cache holds it now
        Assert.Equal(old, ReadThrough(Path.Combine(m, "f")));

        var fresh = Block('n', 10000);
        WriteOutside(Path.Combine(d, "f"), fresh, 0);
        var took = Eventually.Within(() => ReadThrough(Path.Combine(m, "f")) == fresh,
            () => $"read '{PosixRun.Show(ReadThrough(Path.Combine(m, "f")))}'");
        output.WriteLine($"{fixture.Mount.Target}: same-size rewrite seen after {took.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Size_changes_outside_are_seen_in_stat_and_read()
    {
        var (m, d) = Fresh("coh-size");
        File.WriteAllText(Path.Combine(d, "f"), "short");
        Assert.Equal("short", ReadThrough(Path.Combine(m, "f")));
        Assert.Equal(5, SizeThrough(Path.Combine(m, "f")));

        var longer = "short, then grown outside the gateway to a longer text";
        WriteOutside(Path.Combine(d, "f"), longer, 0);
        var grow = Eventually.Within(() => SizeThrough(Path.Combine(m, "f")) == longer.Length && ReadThrough(Path.Combine(m, "f")) == longer,
            () => $"size {SizeThrough(Path.Combine(m, "f"))}, read '{ReadThrough(Path.Combine(m, "f"))}'");

        WriteOutside(Path.Combine(d, "f"), "cut", 0, truncateTo: 3);
        var shrink = Eventually.Within(() => SizeThrough(Path.Combine(m, "f")) == 3 && ReadThrough(Path.Combine(m, "f")) == "cut",
            () => $"size {SizeThrough(Path.Combine(m, "f"))}, read '{ReadThrough(Path.Combine(m, "f"))}'");
        output.WriteLine($"{fixture.Mount.Target}: growth seen after {grow.TotalMilliseconds:F0} ms, shrink after {shrink.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void A_descriptor_kept_open_on_the_mount_reads_what_was_written_outside()
    {
        var (m, d) = Fresh("coh-open-fd");
        File.WriteAllText(Path.Combine(d, "f"), Block('a', 8192));
        int fd;
        fixed (byte* p = Paths.Z(Path.Combine(m, "f"))) fd = Libc.Open(p, O_RDONLY | O_CLOEXEC, 0);
        Assert.True(fd >= 0);
        try
        {
            Assert.Equal(Block('a', 8192), ReadFd(fd));
            WriteOutside(Path.Combine(d, "f"), Block('b', 8192), 0);
            var same = Eventually.Within(() => ReadFd(fd) == Block('b', 8192), () => $"read '{PosixRun.Show(ReadFd(fd))}'");
            WriteOutside(Path.Combine(d, "f"), Block('c', 4096), 8192);
            var grown = Eventually.Within(() => ReadFd(fd) == Block('b', 8192) + Block('c', 4096), () => $"read '{PosixRun.Show(ReadFd(fd))}'");
            output.WriteLine($"{fixture.Mount.Target}: open descriptor saw the rewrite after {same.TotalMilliseconds:F0} ms, the growth after {grown.TotalMilliseconds:F0} ms");
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void Create_rename_and_unlink_outside_are_seen_in_listings_and_lookups()
    {
        var (m, d) = Fresh("coh-names");
        File.WriteAllText(Path.Combine(d, "a"), "a");
        Directory.CreateDirectory(Path.Combine(d, "sub"));
        string List(string dir) => string.Join(",", (PosixRun.ReadDir(Paths.Z(dir), out _) ?? []).Select(e => Encoding.UTF8.GetString(e.Name)).Order(StringComparer.Ordinal));
        bool Exists(string path) => SizeThrough(path) >= 0;
        // Warm both caches: the listing and the lookups (including a negative one for "b").
        Assert.Equal("a,sub", List(m));
        Assert.True(Exists(Path.Combine(m, "a")));
        Assert.False(Exists(Path.Combine(m, "b")));
        Assert.Equal("", List(Path.Combine(m, "sub")));

        File.WriteAllText(Path.Combine(d, "b"), "created outside");
        var created = Eventually.Within(() => Exists(Path.Combine(m, "b")) && List(m) == "a,b,sub" && ReadThrough(Path.Combine(m, "b")) == "created outside",
            () => $"listing [{List(m)}], b exists: {Exists(Path.Combine(m, "b"))}");

        File.Move(Path.Combine(d, "a"), Path.Combine(d, "sub", "a-moved"));
        var renamed = Eventually.Within(() => !Exists(Path.Combine(m, "a")) && Exists(Path.Combine(m, "sub", "a-moved")) && List(m) == "b,sub"
                                             && List(Path.Combine(m, "sub")) == "a-moved" && ReadThrough(Path.Combine(m, "sub", "a-moved")) == "a",
            () => $"listing [{List(m)}], sub [{List(Path.Combine(m, "sub"))}], a exists: {Exists(Path.Combine(m, "a"))}");

        File.Delete(Path.Combine(d, "b"));
        var removed = Eventually.Within(() => !Exists(Path.Combine(m, "b")) && List(m) == "sub",
            () => $"listing [{List(m)}], b exists: {Exists(Path.Combine(m, "b"))}");

        // A name replaced outside by a different file (rename over it): the mount must show the new file.
        File.WriteAllText(Path.Combine(d, "sub", "a-moved.tmp"), "replaced");
        File.Move(Path.Combine(d, "sub", "a-moved.tmp"), Path.Combine(d, "sub", "a-moved"), overwrite: true);
        var replaced = Eventually.Within(() => ReadThrough(Path.Combine(m, "sub", "a-moved")) == "replaced",
            () => $"read '{ReadThrough(Path.Combine(m, "sub", "a-moved"))}'");

        // A directory removed and a file of the same name created in its place.
        Directory.Delete(Path.Combine(d, "sub"), recursive: true);
        File.WriteAllText(Path.Combine(d, "sub"), "now a file");
        var retyped = Eventually.Within(() => ReadThrough(Path.Combine(m, "sub")) == "now a file" && List(m) == "sub",
            () => $"read '{ReadThrough(Path.Combine(m, "sub"))}', listing [{List(m)}]");

        output.WriteLine($"{fixture.Mount.Target}: create {created.TotalMilliseconds:F0} ms, rename {renamed.TotalMilliseconds:F0} ms, " +
                         $"unlink {removed.TotalMilliseconds:F0} ms, replace {replaced.TotalMilliseconds:F0} ms, dir->file {retyped.TotalMilliseconds:F0} ms");
    }
}
