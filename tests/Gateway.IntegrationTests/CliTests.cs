using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests;

/// <summary>The real `gateway` program: its messages, exit codes and clean stops.</summary>
public sealed class CliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirs _dirs = new();

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var p = ChildProcess.StartDotnet("gateway.dll", args);
        var code = await p.WaitForExitAsync(Timeout);
        return (code, p.Stdout, p.Stderr);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (code, stdout, _) = await RunAsync("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.", stdout.Trim());
    }

    [Fact]
    public async Task Help_describes_export_and_its_options()
    {
        var (code, stdout, _) = await RunAsync("export", "--help");
        Assert.Equal(0, code);
        foreach (var option in new[] { "--name", "--listen", "--nfs-port", "--smb-port", "--mount", "--read-only", "--state-dir" })
            Assert.Contains(option, stdout);
    }

    public static TheoryData<string[], string> BadStarts => new()
    {
        { ["export", "/definitely/not/here"], "does not exist" },
        { ["export", "/etc/hostname"], "is not a directory" },
        { ["export", "{export}", "--state-dir", "/proc/version/state"], "cannot write state directory" },
        { ["export", "{export}", "--listen", "not-an-address"], "is not an IP address" },
        { ["export", "{export}", "--listen", "192.0.2.77"], "cannot listen on 192.0.2.77" },
        { ["export", "{export}", "--nfs-port", "{taken}", "--portmap", "off"], "is already in use" },
        { ["export", "{export}", "--nfs-port", "70000"], "is not a port number" },
        { ["export", "{export}", "--nfs-allow", "example.com", "--nfs-port", "0", "--portmap", "off"], "--nfs-allow: 'example.com'" },
        { ["export", "{export}", "--smb-port", "445"], "SMB is not available" },
        { ["export", "{export}", "--mount", "/mnt"], "FUSE mount is not available" },
        { ["export", "{export}", "--name", "../evil"], "is not usable" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task A_bad_start_prints_one_clear_line_and_exits_nonzero(string[] args, string message)
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString();
        var resolved = args.Select(a => a.Replace("{export}", _dirs.Export).Replace("{taken}", port)).ToList();
        if (!resolved.Contains("--state-dir")) resolved.AddRange(["--state-dir", _dirs.State]);
        var (code, _, stderr) = await RunAsync([.. resolved]);
        Assert.NotEqual(0, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("gateway: ", lines[0]);
        Assert.Contains(message, lines[0]);
    }

    [Theory]
    [InlineData(ChildProcess.SIGTERM)]
    [InlineData(ChildProcess.SIGINT)]
    public async Task A_signal_stops_the_gateway_cleanly(int signal)
    {
        File.WriteAllText(Path.Combine(_dirs.Export, "a"), "x");
        using var p = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off");
        await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.Contains($"export '{Path.GetFileName(_dirs.Export)}'", p.Stdout);
        Assert.Matches($@"mount -t nfs -o vers=3,proto=tcp,port=\d+,mountport=\d+,nolock 127\.0\.0\.1:/{Path.GetFileName(_dirs.Export)} ", p.Stdout);
        p.Signal(signal);
        Assert.Equal(0, await p.WaitForExitAsync(Timeout));
        Assert.Contains("gateway: stopped", p.Stdout);

        // A clean stop leaves nothing to recover at the next start.
        using var again = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off");
        await again.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.DoesNotContain("recovered after an unclean stop", again.Stdout);
        again.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task After_kill_9_the_next_start_says_it_recovered()
    {
        using (var p = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off"))
        {
            await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
            p.Signal(ChildProcess.SIGKILL);
            await p.WaitForExitAsync(Timeout);
        }
        using var again = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off");
        await again.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.Contains("recovered after an unclean stop", again.Stdout);
        again.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
    }

    public void Dispose() => _dirs.Dispose();
}
