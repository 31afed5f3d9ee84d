using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// Samba's smbd (Debian package) as the reference server, through tests/smbtorture/samba-ref.sh: its own
/// smb.conf, passdb and state under <c>workDir</c>, 127.0.0.1 on a free port, never /etc/samba or port 445.
/// The share is named after the directory; the user is the Unix user "gwsmbtest" (the script creates it).
/// Needs root, like smbd itself.
/// </summary>
public sealed class SambaTarget : ISmbTarget
{
    private readonly ChildProcess _process;

    private SambaTarget(ChildProcess process, string sharePath, int port, string password)
    {
        _process = process;
        SharePath = sharePath;
        Port = port;
        Password = password;
    }

    public string Kind => "samba";
    public string Host => "127.0.0.1";
    public int Port { get; }
    public string Share => Path.GetFileName(SharePath);
    public string User => "gwsmbtest";
    public string Password { get; }
    public string SharePath { get; }
    public string Log => _process.Stdout + _process.Stderr;

    public static string Script => Path.Combine(KernelClient.RepoRoot, "tests", "smbtorture", "samba-ref.sh");

    public static async Task<SambaTarget> StartAsync(string shareDir, string workDir)
    {
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..12];
        for (var attempt = 0; ; attempt++)
        {
            var port = SmbTargets.FreePort();
            var p = ChildProcess.Start(Script, workDir, port.ToString(), shareDir, "gwsmbtest", password, Path.GetFileName(shareDir));
            try
            {
                await p.WaitForOutputAsync("SAMBA-REF: READY", TimeSpan.FromSeconds(60));
                return new SambaTarget(p, shareDir, port, password);
            }
            catch (InvalidOperationException) when (attempt < 2)
            {
                // the free port was taken between the probe and smbd's bind: try another
                p.Dispose();
            }
            catch
            {
                p.Dispose();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Signal(ChildProcess.SIGTERM);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception)
        {
            // the kill in Dispose below ends the script and both daemons (whole process tree)
        }
        _process.Dispose();
    }
}
