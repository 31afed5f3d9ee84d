using System.Diagnostics;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// A directory tree the behaviour tests run against: a FUSE mount (or a plain directory) at
/// <see cref="Path"/> that shows <see cref="BackingDirectory"/>. Disposing unmounts and stops whatever serves it.
/// </summary>
public interface IMountUnderTest : IAsyncDisposable
{
    /// <summary>"gateway", "bindfs" or "plain".</summary>
    string Target { get; }
    string Path { get; }
    string BackingDirectory { get; }
}

/// <summary>
/// Which mount the tests run against: the Gateway's FUSE mount unless FUSE_TEST_TARGET says
/// "bindfs" (a FUSE loopback peer, to tell a Gateway bug from a FUSE limit) or "plain" (no FUSE at all:
/// checks the tests themselves).
/// </summary>
public static class MountTarget
{
    public static string Name => Environment.GetEnvironmentVariable("FUSE_TEST_TARGET") is { Length: > 0 } t ? t : "gateway";

    public static Task<IMountUnderTest> MountAsync(string backing, string mountPoint, string stateDirectory) => Name switch
    {
        "gateway" => GatewayMount.MountAsync(backing, mountPoint, stateDirectory),
        "bindfs" => BindfsMount.MountAsync(backing, mountPoint),
        "plain" => Task.FromResult<IMountUnderTest>(new PlainDirectory(backing)),
        var other => throw new InvalidOperationException($"FUSE_TEST_TARGET={other}: use gateway, bindfs or plain"),
    };
}

/// <summary>No mount: the backing directory itself.</summary>
public sealed class PlainDirectory(string directory) : IMountUnderTest
{
    public string Target => "plain";
    public string Path => directory;
    public string BackingDirectory => directory;
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>bindfs (Debian's package) in the foreground, as a child of the test, over the backing directory.</summary>
public sealed class BindfsMount : IMountUnderTest
{
    private readonly Process _process;

    private BindfsMount(Process process, string backing, string mountPoint)
    {
        _process = process;
        BackingDirectory = backing;
        Path = mountPoint;
    }

    public string Target => "bindfs";
    public string Path { get; }
    public string BackingDirectory { get; }

    public static async Task<IMountUnderTest> MountAsync(string backing, string mountPoint, params string[] extra)
    {
        var psi = new ProcessStartInfo("bindfs", ["-f", .. extra, backing, mountPoint])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var p = Process.Start(psi) ?? throw new InvalidOperationException("bindfs did not start");
        var m = new BindfsMount(p, backing, mountPoint);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!MountTable.IsMountPoint(mountPoint))
        {
            if (p.HasExited || DateTime.UtcNow > deadline)
            {
                await m.DisposeAsync();
                throw new InvalidOperationException($"bindfs did not mount {mountPoint}: {p.StandardError.ReadToEnd()}");
            }
            await Task.Delay(20);
        }
        return m;
    }

    public async ValueTask DisposeAsync()
    {
        MountTable.Unmount(Path);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}

/// <summary>/proc/self/mountinfo and the unmount tools.</summary>
public static class MountTable
{
    public static bool IsMountPoint(string path)
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && Unescape(fields[4]) == path) return true;
        }
        return false;
    }

    /// <summary>fusermount3 -u, then a lazy umount when the mount is busy or not a FUSE mount; quiet when not mounted.</summary>
    public static void Unmount(string path)
    {
        if (!IsMountPoint(path)) return;
        if (Run("fusermount3", "-u", path) == 0 && !IsMountPoint(path)) return;
        Run("umount", "-l", path);
    }

    public static int Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    private static string Unescape(string s) =>
        s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
