using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>Debian's smbclient (the Samba client tool) against an <see cref="ISmbTarget"/>.</summary>
public static class SmbClientTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>
    /// `smbclient //HOST/SHARE -p PORT -U USER%PASS [-m DIALECT] [--client-protection=P] [extra] -c COMMANDS`,
    /// run in <paramref name="workDir"/> (where put reads and get writes).
    /// </summary>
    public static async Task<Result> RunAsync(ISmbTarget target, string commands, string? dialect = null, string? protection = null,
        string? workDir = null, string? password = null, IEnumerable<string>? extra = null, TimeSpan? timeout = null)
    {
        var args = new List<string> { $"//{target.Host}/{target.Share}", "-p", target.Port.ToString(), "-U", $"{target.User}%{password ?? target.Password}" };
        if (dialect is not null) args.AddRange(["-m", dialect]);
        if (protection is not null) args.Add($"--client-protection={protection}");
        if (extra is not null) args.AddRange(extra);
        if (workDir is not null) commands = $"lcd {workDir}; {commands}";
        args.AddRange(["-c", commands]);
        return await RunRawAsync(args, timeout);
    }

    public static async Task<Result> RunRawAsync(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        using var p = ChildProcess.Start("smbclient", [.. args]);
        var code = await p.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(5));
        return new Result(code, p.Stdout, p.Stderr);
    }

    /// <summary>Runs and asserts exit code 0 and no NT_STATUS error in the output (smbclient exits 0 after some failed commands).</summary>
    public static async Task<Result> MustRunAsync(ISmbTarget target, string commands, string? dialect = null, string? protection = null,
        string? workDir = null, IEnumerable<string>? extra = null)
    {
        var r = await RunAsync(target, commands, dialect, protection, workDir, extra: extra);
        Assert.True(r.ExitCode == 0 && !r.Output.Contains("NT_STATUS_", StringComparison.Ordinal),
            $"smbclient -m {dialect} --client-protection={protection} -c '{commands}' against {target.Kind} exited {r.ExitCode}:\n{r.Output}\nserver:\n{Tail(target.Log)}");
        return r;
    }

    public static string Tail(string text, int chars = 4000) => text.Length <= chars ? text : "..." + text[^chars..];
}
