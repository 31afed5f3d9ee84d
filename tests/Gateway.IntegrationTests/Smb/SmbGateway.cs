using System.Diagnostics;
using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// The real `gateway export DIR --smb-port 0` with one SMB user added first (`gateway user add NAME
/// --password-stdin`), stopped with SIGTERM (then SIGKILL) at dispose. The share is named after the
/// directory. gateway.dll is the one beside the tests (GATEWAY_DLL overrides it).
/// </summary>
public sealed partial class GatewayTarget : ISmbTarget
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private GatewayTarget(ChildProcess process, string sharePath, int port, string user, string password)
    {
        _process = process;
        SharePath = sharePath;
        Port = port;
        User = user;
        Password = password;
    }

    public string Kind => "gateway";
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Share => Path.GetFileName(SharePath);
    public string User { get; }
    public string Password { get; }
    public string SharePath { get; }
    public string Log => _process.Stdout + _process.Stderr;

    private static string GatewayDll =>
        Environment.GetEnvironmentVariable("GATEWAY_DLL") is { Length: > 0 } dll ? dll : Path.Combine(AppContext.BaseDirectory, "gateway.dll");

    private static string DotnetHost =>
        Environment.ProcessPath is { } p && p.EndsWith("dotnet", StringComparison.Ordinal) ? p : "dotnet";

    public static async Task<GatewayTarget> StartAsync(string export, string stateDir, params string[] extra)
    {
        const string user = "smbtest";
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..12];
        await AddUserAsync(stateDir, user, password);

        var p = ChildProcess.Start(DotnetHost,
            [GatewayDll, "export", export, "--state-dir", stateDir, "--nfs-port", "0", "--portmap", "off", "--smb-port", "0", .. extra]);
        try
        {
            await p.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);
            var m = SmbPortLine().Match(p.Stdout);
            if (!m.Success) throw new InvalidOperationException($"no SMB port in the startup message: {p.Stdout}{p.Stderr}");
            return new GatewayTarget(p, export, int.Parse(m.Groups[1].Value), user, password);
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    /// <summary>`gateway user add NAME --password-stdin --state-dir S` (the password is one line on stdin).</summary>
    private static async Task AddUserAsync(string stateDir, string user, string password)
    {
        var psi = new ProcessStartInfo(DotnetHost, [GatewayDll, "user", "add", user, "--password-stdin", "--state-dir", stateDir])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteLineAsync(password);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("gateway user add did not finish within 60 s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"gateway user add {user} exited {p.ExitCode}: {await stdout}{await stderr}");
    }

    [GeneratedRegex(@"SMB:\s+\S+ port (\d+)")]
    private static partial Regex SmbPortLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.Stdout.Contains("gateway: stopped")) _process.Signal(ChildProcess.SIGTERM);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception)
        {
            // the kill in Dispose below ends it
        }
        _process.Dispose();
    }
}
