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
        { ["export", "{export}", "--nfs-port", "0", "--portmap", "off", "--smb-port", "{taken}"], "--smb-port {taken}: the port is in use" },
        { ["export", "{export}", "--smb-port", "70000"], "--smb-port: 70000 is not a port number" },
        { ["export", "{export}", "--nfs-port", "0", "--portmap", "off", "--smb-port", "0", "--mount", "/definitely/not/here"], "--mount /definitely/not/here" },
        { ["mount", "{export}", "/definitely/not/here"], "--mount /definitely/not/here" },
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
        message = message.Replace("{taken}", port);
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
        using var p = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off", "--smb-port", "0");
        await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.Contains($"export '{Path.GetFileName(_dirs.Export)}'", p.Stdout);
        Assert.Matches($@"mount -t nfs -o vers=3,proto=tcp,port=\d+,mountport=\d+,nolock 127\.0\.0\.1:/{Path.GetFileName(_dirs.Export)} ", p.Stdout);
        p.Signal(signal);
        Assert.Equal(0, await p.WaitForExitAsync(Timeout));
        Assert.Contains("gateway: stopped", p.Stdout);

        // A clean stop leaves nothing to recover at the next start.
        using var again = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off", "--smb-port", "0");
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
        using var again = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--nfs-port", "0", "--portmap", "off", "--smb-port", "0");
        await again.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.Contains("recovered after an unclean stop", again.Stdout);
        again.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task The_first_export_with_smb_creates_a_user_and_prints_its_password_once()
    {
        using (var p = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--no-nfs", "--smb-port", "0"))
        {
            await p.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
            Assert.Matches(@"SMB:\s+127\.0\.0\.1 port \d+ \(SMB 2\.0\.2-3\.1\.1", p.Stdout);
            Assert.Matches(@"SMB user '[^']+' created; password: [A-Za-z0-9]{16} ", p.Stdout);
            p.Signal(ChildProcess.SIGTERM);
            Assert.Equal(0, await p.WaitForExitAsync(Timeout));
        }
        var (code, list, _) = await RunAsync("user", "list", "--state-dir", _dirs.State);
        Assert.Equal(0, code);
        Assert.Equal(2, list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + the created user

        using var again = ChildProcess.StartDotnet("gateway.dll", "export", _dirs.Export, "--state-dir", _dirs.State, "--no-nfs", "--smb-port", "0");
        await again.WaitForOutputAsync("Press Ctrl-C to stop.", Timeout);
        Assert.DoesNotContain("password:", again.Stdout);
        again.Signal(ChildProcess.SIGTERM);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task User_add_list_remove()
    {
        using (var add = ChildProcess.StartDotnet("gateway.dll", "user", "add", "Alice", "--password-stdin", "--state-dir", _dirs.State))
        {
            add.WriteStdin("s3cret-pass\n");
            Assert.Equal(0, await add.WaitForExitAsync(Timeout));
            Assert.Contains("user 'Alice' added", add.Stdout);
        }
        using (var again = ChildProcess.StartDotnet("gateway.dll", "user", "add", "alice", "--password-stdin", "--uid", "1234", "--gid", "99", "--state-dir", _dirs.State))
        {
            again.WriteStdin("other\n");
            Assert.Equal(0, await again.WaitForExitAsync(Timeout));
            Assert.Contains("password of 'alice' changed", again.Stdout);
        }
        var (code, list, _) = await RunAsync("user", "list", "--state-dir", _dirs.State);
        Assert.Equal(0, code);
        Assert.Matches(@"alice\s+1234\s+99", list);
        Assert.DoesNotContain("s3cret", list);
        Assert.DoesNotContain("other", list);

        var (bad, _, badErr) = await RunAsync("user", "add", "../x", "--password-stdin", "--state-dir", _dirs.State);
        Assert.Equal(2, bad);
        Assert.Contains("is not usable", badErr);

        var (removed, removedOut, _) = await RunAsync("user", "remove", "ALICE", "--state-dir", _dirs.State);
        Assert.Equal(0, removed);
        Assert.Contains("removed", removedOut);
        var (missing, _, missingErr) = await RunAsync("user", "remove", "alice", "--state-dir", _dirs.State);
        Assert.Equal(1, missing);
        Assert.Contains("no user 'alice'", missingErr);
    }

    public void Dispose() => _dirs.Dispose();
}
