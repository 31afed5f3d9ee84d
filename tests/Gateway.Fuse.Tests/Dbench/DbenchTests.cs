using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.Fuse.Tests.Posix;
using Xunit.Abstractions;

namespace Gateway.Fuse.Tests.Dbench;

/// <summary>
/// dbench (Debian's package) with its NetBench load file, 2 clients for 60 s on the mount: every
/// operation it makes must succeed (dbench prints "ERROR" lines and exits non-zero on a failed call or a
/// wrong result). DBENCH_SECONDS shortens it for a local run.
/// </summary>
public sealed partial class DbenchTests(MountFixture fixture, ITestOutputHelper output) : IClassFixture<MountFixture>
{
    [Fact]
    public async Task Two_clients_for_sixty_seconds_without_errors()
    {
        var seconds = Environment.GetEnvironmentVariable("DBENCH_SECONDS") is { Length: > 0 } s ? s : "60";
        var loadFile = new[] { "/usr/share/dbench/client.txt", "/usr/share/dbench4/client.txt", "/usr/local/share/client.txt" }
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("no dbench load file (client.txt): apt-get install dbench");
        var (dir, _) = fixture.FreshPair("dbench");

        var psi = new ProcessStartInfo("dbench", ["-D", dir, "-t", seconds, "-c", loadFile, "2"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("dbench did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(seconds) + 240));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            Assert.Fail($"dbench still running {int.Parse(seconds) + 240} s after start:\n{Tail(await stdout)}\n{await stderr}");
        }
        var text = await stdout + await stderr;
        var throughput = ThroughputLine().Match(text);
        output.WriteLine($"target {fixture.Mount.Target}: {(throughput.Success ? throughput.Value : "no throughput line")}, exit {p.ExitCode}");
        var errors = text.Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("failed", StringComparison.OrdinalIgnoreCase)).Take(20).ToList();
        Assert.True(p.ExitCode == 0 && errors.Count == 0 && throughput.Success,
            $"dbench on {fixture.Mount.Target}: exit {p.ExitCode}, {errors.Count} error line(s):\n{string.Join('\n', errors)}\n--- output tail ---\n{Tail(text)}");
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(40));

    [GeneratedRegex(@"Throughput [\d.]+ MB/sec.*")]
    private static partial Regex ThroughputLine();
}
