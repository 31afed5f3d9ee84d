using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Gateway.Vfs.Tests.Native;

/// <summary>
/// Builds native/abi-check with its Makefile into a temporary directory (never into the source tree),
/// runs it once, and holds its "name=value" lines. A missing compiler is a failure, not a skip: an
/// unchecked layout is exactly what this test exists to prevent.
/// </summary>
public sealed class AbiCheckOutput : IDisposable
{
    private readonly string _buildDir = Path.Combine(Path.GetTempPath(), "gateway-abi-check-" + Guid.NewGuid().ToString("N")[..12]);

    public AbiCheckOutput()
    {
        var source = Path.Combine(RepositoryRoot(), "native", "abi-check");
        foreach (var tool in new[] { "cc", "make" })
        {
            if (!OnPath(tool))
                throw new InvalidOperationException(
                    $"native/abi-check needs a C compiler and make, and '{tool}' is not on PATH. "
                    + "Install them (Debian/Ubuntu: sudo apt-get install build-essential) and run the tests again.");
        }
        Run("make", ["-C", source, $"BUILD_DIR={_buildDir}"], out _);
        Run(Path.Combine(_buildDir, "abi-check"), [], out var output);

        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || !long.TryParse(line[(eq + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                throw new InvalidOperationException($"abi-check printed a line that is not name=number: '{line}'");
            if (!values.TryAdd(line[..eq], value)) throw new InvalidOperationException($"abi-check printed {line[..eq]} twice");
        }
        Values = values;
    }

    public IReadOnlyDictionary<string, long> Values { get; }

    /// <summary>The value abi-check printed for <paramref name="name"/>; fails naming the line to add when it printed none.</summary>
    public long this[string name] => Values.TryGetValue(name, out var v)
        ? v
        : throw new Xunit.Sdk.XunitException($"native/abi-check/abi_check.c prints no '{name}=' line: add it there");

    /// <summary>
    /// The folder holding Gateway.sln, found from the test binary (a normal build) or, when the build
    /// output lives elsewhere (--artifacts-path), from this source file's compile-time path.
    /// </summary>
    public static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        string[] starts = [AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory()];
        foreach (var start in starts)
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Gateway.sln above any of: {string.Join(", ", starts)}");
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static void Run(string program, string[] args, out string stdout)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish in 60 s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}:\n{stdout}{stderr.Result}");
    }

    public void Dispose()
    {
        try { Directory.Delete(_buildDir, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }
}
