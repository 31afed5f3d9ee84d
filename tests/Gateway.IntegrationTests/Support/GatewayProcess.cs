using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Support;

/// <summary>
/// The real `gateway export` on 127.0.0.1 with a free NFS port and no portmapper, started for a test
/// and stopped (SIGTERM, then SIGKILL) at dispose.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private GatewayProcess(ChildProcess process, string export, int nfsPort, int smbPort)
    {
        _process = process;
        ExportPath = export;
        NfsPort = nfsPort;
        SmbPort = smbPort;
    }

    public string ExportPath { get; }
    public int NfsPort { get; }
    /// <summary>0 when the test turned SMB off.</summary>
    public int SmbPort { get; }
    public string Name => Path.GetFileName(ExportPath);
    public string Stdout => _process.Stdout;
    public string Stderr => _process.Stderr;

    /// <summary>A libnfs URL for a path inside the export.</summary>
    public string NfsUrl(string relative = "") =>
        $"nfs://127.0.0.1/{Name}/{relative.TrimStart('/')}?nfsport={NfsPort}&mountport={NfsPort}&version=3";

    public static Task<GatewayProcess> StartAsync(string export, string stateDir, params string[] extra) =>
        StartAsync(export, stateDir, nfsPort: 0, extra);

    public static async Task<GatewayProcess> StartAsync(string export, string stateDir, int nfsPort, params string[] extra)
    {
        string[] portmap = extra.Contains("--portmap") ? [] : ["--portmap", "off"];
        string[] smb = extra.Contains("--smb-port") || extra.Contains("--no-smb") ? [] : ["--smb-port", "0"];
        var p = ChildProcess.StartDotnet("gateway.dll",
            ["export", export, "--state-dir", stateDir, "--nfs-port", nfsPort.ToString(), .. portmap, .. smb, .. extra]);
        try
        {
            await p.WaitForOutputAsync("Press Ctrl-C to stop.", StartTimeout);
        }
        catch
        {
            p.Dispose();
            throw;
        }
        var m = NfsPortLine().Match(p.Stdout);
        if (!m.Success)
        {
            p.Dispose();
            throw new InvalidOperationException($"no NFS port in the startup message: {p.Stdout}");
        }
        var smbLine = SmbPortLine().Match(p.Stdout);
        return new GatewayProcess(p, export, int.Parse(m.Groups[1].Value), smbLine.Success ? int.Parse(smbLine.Groups[1].Value) : 0);
    }

    public async Task<int> StopAsync()
    {
        _process.Signal(ChildProcess.SIGTERM);
        return await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [GeneratedRegex(@"NFS:\s+\S+ port (\d+)")]
    private static partial Regex NfsPortLine();

    [GeneratedRegex(@"SMB:\s+\S+ port (\d+)")]
    private static partial Regex SmbPortLine();

    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.Stdout.Contains("gateway: stopped")) _process.Signal(ChildProcess.SIGTERM);
            _process.WaitForExitAsync(TimeSpan.FromSeconds(15)).Wait();
        }
        catch (Exception)
        {
            // fall through to the kill in Dispose
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
