namespace Gateway.IntegrationTests.Support;

/// <summary>
/// Runs a script in the qemu guest whose Linux kernel mounts our server (tests/kernel/kernel-client-vm.sh,
/// the project's copy of shared/tools). The guest reaches host 127.0.0.1:PORT as 10.0.2.2:PORT.
/// </summary>
public static class KernelClient
{
    /// <summary>The checkout the tests were built from (found above the build output, or above this source file).</summary>
    public static string RepoRoot
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(ThisFile())! })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln"))) return dir.FullName;
            throw new InvalidOperationException("repository root (Gateway.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    public static string Script(string name) => Path.Combine(RepoRoot, "tests", "kernel", name);

    /// <summary>Starts the guest; the caller waits on the returned process and reads the --out file if it gave one.</summary>
    public static ChildProcess Start(string script, string modules, IReadOnlyDictionary<string, string> env, string? outFile = null, int timeoutSeconds = 600)
    {
        var args = new List<string> { "--modules", modules, "--timeout", timeoutSeconds.ToString() };
        foreach (var (k, v) in env) args.AddRange(["--env", $"{k}={v}"]);
        if (outFile is not null) args.AddRange(["--out", outFile]);
        args.Add(Script(script));
        return ChildProcess.Start(Path.Combine(RepoRoot, "tests", "kernel", "kernel-client-vm.sh"), [.. args]);
    }

    /// <summary>The "KCV-CHECK: name FAIL" lines of a guest run.</summary>
    public static IReadOnlyList<string> FailedChecks(string output) =>
        output.Split('\n').Where(l => l.StartsWith("KCV-CHECK:", StringComparison.Ordinal) && l.TrimEnd().EndsWith("FAIL", StringComparison.Ordinal)).ToList();
}
