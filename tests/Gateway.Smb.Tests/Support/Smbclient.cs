using System.Diagnostics;

namespace Gateway.Smb.Tests.Support;

/// <summary>Runs Samba's smbclient against the harness; kills it on timeout so no process outlives a test.</summary>
public static class Smbclient
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(int port, string share, string dialect, string protection, string commands,
        string? workDir = null, string user = SmbHarness.User + "%" + SmbHarness.Password, TimeSpan? timeout = null)
    {
        var args = new List<string>
        {
            $"//127.0.0.1/{share}", "-p", port.ToString(), "-U", user, "-m", dialect,
            $"--client-protection={protection}", "-c", commands,
        };
        return await RunRawAsync(args, workDir, timeout);
    }

    public static async Task<Result> RunRawAsync(IEnumerable<string> args, string? workDir = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("smbclient")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Path.GetTempPath(),
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // No smb.conf of the machine's: same behaviour everywhere.
        psi.ArgumentList.Add("-s");
        psi.ArgumentList.Add("/dev/null");
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            throw new TimeoutException($"smbclient timed out: {string.Join(' ', psi.ArgumentList)}\n{await stdout}\n{await stderr}");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
