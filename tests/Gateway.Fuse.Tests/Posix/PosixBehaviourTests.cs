using System.Text;
using Xunit.Abstractions;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// Each named case (<see cref="PosixCases"/>) runs on a local directory and on the mount; the call traces
/// (results and errnos) must match, and so must what ends up on disk: the mount's backing directory
/// against the local one. FUSE_TEST_TARGET=bindfs runs the same table against bindfs.
/// </summary>
public sealed class PosixBehaviourTests(MountFixture fixture, ITestOutputHelper output) : IClassFixture<MountFixture>
{
    public static TheoryData<string> Cases => new(PosixCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Same_results_as_a_local_directory(string name)
    {
        var (onMount, onReference) = fixture.FreshPair("posix-" + name);
        var expected = new PosixRun(onReference);
        PosixCases.All[name](expected);
        var actual = new PosixRun(onMount);
        PosixCases.All[name](actual);

        var backing = Path.Combine(fixture.Mount.BackingDirectory, "posix-" + name);
        var onDisk = TreeSnapshot.Of(backing);
        var expectedOnDisk = TreeSnapshot.Of(onReference);

        output.WriteLine($"target: {fixture.Mount.Target}");
        foreach (var line in actual.Trace) output.WriteLine(line);
        Assert.True(expected.Trace.SequenceEqual(actual.Trace),
            $"case {name} on {fixture.Mount.Target} differs from a local directory:\n{SideBySide(expected.Trace, actual.Trace)}");
        Assert.True(expectedOnDisk.SequenceEqual(onDisk),
            $"case {name}: the backing directory differs from the local one:\n{SideBySide(expectedOnDisk, onDisk)}");
    }

    [Fact]
    public unsafe void Statfs_reports_the_backing_file_system()
    {
        StatfsBuffer m, b;
        fixed (byte* p = Paths.Z(fixture.Path)) Assert.Equal(0, Libc.Statfs(p, &m));
        fixed (byte* p = Paths.Z(fixture.Mount.BackingDirectory)) Assert.Equal(0, Libc.Statfs(p, &b));
        var mountBytes = (double)m.Blocks * m.FragmentSize;
        var backingBytes = (double)b.Blocks * b.FragmentSize;
        Assert.InRange(mountBytes, backingBytes * 0.99, backingBytes * 1.01);
        var mountFree = (double)m.BlocksAvailable * m.FragmentSize;
        var backingFree = (double)b.BlocksAvailable * b.FragmentSize;
        Assert.InRange(mountFree, backingFree * 0.95, backingFree * 1.05);
        Assert.Equal(b.NameMax, m.NameMax);
    }

    /// <summary>Both traces, line by line, the differing lines marked with '>'.</summary>
    internal static string SideBySide(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var sb = new StringBuilder();
        var width = Math.Min(70, expected.Count == 0 ? 10 : expected.Max(l => l.Length));
        sb.AppendLine($"  {"local directory (expected)".PadRight(width)} | mount (actual)");
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "";
            var a = i < actual.Count ? actual[i] : "";
            if (e != a && (e.Length > width || a.Length > 90))
            {
                sb.AppendLine($"> expected: {e}");
                sb.AppendLine($">   actual: {a}");
                continue;
            }
            sb.AppendLine($"{(e == a ? ' ' : '>')} {Cut(e, width).PadRight(width)} | {Cut(a, 90)}");
        }
        return sb.ToString();
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 3)] + "...";
}
