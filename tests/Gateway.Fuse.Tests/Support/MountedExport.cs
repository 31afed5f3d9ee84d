using System.Diagnostics;
using Gateway.Fuse;
using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Fuse.Tests.Support;

/// <summary>
/// A temporary export (a directory with its own GatewayStore and LocalVfs) mounted through FUSE on a
/// temporary mount point. Dispose always unmounts (lazily as a last resort) before anything is deleted,
/// so a failing test never leaves a mount behind, and never deletes through a live mount.
/// </summary>
public sealed class MountedExport : IAsyncDisposable, IDisposable
{
    private readonly List<string> _log = new();

    public MountedExport(FuseMountOptions? options = null, bool mount = true)
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-fuse-" + Guid.NewGuid().ToString("N")[..12]);
        Export = Path.Combine(Base, "export");
        State = Path.Combine(Base, "state");
        MountPoint = Path.Combine(Base, "mnt");
        Directory.CreateDirectory(Export);
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(MountPoint);
        Store = GatewayStore.Open(State);
        Vfs = LocalVfs.Open(Store, "test", Export);
        Options = (options ?? new FuseMountOptions()) with { Log = Log };
        if (mount) Mount = FuseMount.Mount(Vfs, MountPoint, Options);
    }

    public string Base { get; }
    /// <summary>The exported directory on disk (edits here are "outside the gateway").</summary>
    public string Export { get; }
    public string State { get; }
    public string MountPoint { get; }
    public GatewayStore Store { get; }
    public LocalVfs Vfs { get; }
    public FuseMountOptions Options { get; }
    public FuseMount? Mount { get; private set; }

    /// <summary>Path through the mount.</summary>
    public string M(string relative) => Path.Combine(MountPoint, relative);

    /// <summary>Path on disk, beside the gateway.</summary>
    public string D(string relative) => Path.Combine(Export, relative);

    public IReadOnlyList<string> LogLines
    {
        get { lock (_log) return _log.ToArray(); }
    }

    private void Log(string line)
    {
        lock (_log) _log.Add(line);
    }

    public static bool IsMounted(string mountPoint) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ') is { Length: > 4 } f && f[4] == mountPoint);

    /// <summary>Runs a program and returns (exit code, stdout, stderr); kills it after the timeout.</summary>
    public static (int Exit, string Out, string Err) Run(string program, params string[] args) => RunWithTimeout(TimeSpan.FromSeconds(60), program, args);

    public static (int Exit, string Out, string Err) RunWithTimeout(TimeSpan timeout, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        var err = p.StandardError.ReadToEndAsync();
        var outp = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout}");
        }
        return (p.ExitCode, outp.Result, err.Result);
    }

    public async ValueTask DisposeAsync()
    {
        if (Mount is { } m)
        {
            Mount = null;
            var dispose = m.DisposeAsync().AsTask();
            if (await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(30))) != dispose)
                throw new TimeoutException("FuseMount.DisposeAsync hung for 30 s");
        }
        if (IsMounted(MountPoint)) Run("umount", "-l", MountPoint); // never delete through a live mount
        Vfs.Dispose();
        Store.Dispose();
        if (!IsMounted(MountPoint))
        {
            try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
