using Gateway.Fuse.Tests.Posix;
using Xunit.Abstractions;

namespace Gateway.Fuse.Tests.Model;

/// <summary>
/// The shortest road to a stale node: directories made, removed and renamed over three names (so inode
/// numbers are freed and reused, and a name keeps pointing at new directories), with subdirectories made
/// inside them. Every result must be one Linux gives for the situation (ENOENT, EEXIST, ENOTDIR, EISDIR,
/// EINVAL, ENOTEMPTY), never ESTALE or EIO, and the final tree must match the backing directory.
/// </summary>
public sealed unsafe class DirectoryChurnTests(MountFixture fixture, ITestOutputHelper output) : IClassFixture<MountFixture>
{
    private static readonly int[] Expected = [Errno.ENOENT, Errno.EEXIST, Errno.ENOTDIR, Errno.EISDIR, Errno.EINVAL, Errno.ENOTEMPTY];

    [Fact]
    public void Mkdir_rmdir_and_rename_over_reused_names_never_go_stale()
    {
        var seed = FsxSettings.Seed;
        var ops = FsxSettings.Ops;
        output.WriteLine($"target {fixture.Mount.Target}, seed {seed} (FSX_SEED), {ops} operations (FSX_OPS)");
        var (root, _) = fixture.FreshPair("churn");
        var rng = new Random(seed);
        string[] names = ["a", "b", "c"];
        var recent = new Queue<string>();
        for (var i = 0; i < ops; i++)
        {
            var a = names[rng.Next(3)];
            var b = names[rng.Next(3)];
            var op = rng.Next(5);
            string call;
            int rc;
            fixed (byte* pa = Paths.Z($"{root}/{a}")) fixed (byte* pb = Paths.Z($"{root}/{b}")) fixed (byte* pab = Paths.Z($"{root}/{a}/{b}"))
            {
                (call, rc) = op switch
                {
                    0 => ($"mkdir({a})", Libc.Mkdir(pa, 0x1ED)),
                    1 => ($"rmdir({a})", Libc.Rmdir(pa)),
                    2 => ($"rename({a}, {b})", Libc.Rename(pa, pb)),
                    3 => ($"mkdir({a}/{b})", Libc.Mkdir(pab, 0x1ED)),
                    _ => ($"rmdir({a}/{b})", Libc.Rmdir(pab)),
                };
            }
            var errno = rc < 0 ? Libc.LastErrno : 0;
            recent.Enqueue($"#{i} {call} = {(errno == 0 ? "0" : Errno.Name(errno))}");
            if (recent.Count > 20) recent.Dequeue();
            if (errno != 0 && !Expected.Contains(errno))
                Assert.Fail($"{call} = {Errno.Name(errno)} at op #{i} on {fixture.Mount.Target}; seed {seed} (replay: FSX_SEED={seed} FSX_OPS={ops})\n  " +
                            string.Join("\n  ", recent));
        }
        var onDisk = TreeSnapshot.Of(Path.Combine(fixture.Mount.BackingDirectory, "churn"));
        var throughMount = TreeSnapshot.Of(root);
        Assert.True(onDisk.SequenceEqual(throughMount),
            $"the tree through the mount differs from the backing directory:\n{PosixBehaviourTests.SideBySide(onDisk, throughMount)}");
    }
}
