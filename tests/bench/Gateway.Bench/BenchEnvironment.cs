using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Bench;

/// <summary>
/// A fresh temporary directory holding the gateway state, the export served by a <see cref="LocalVfs"/>,
/// and a plain directory for the direct baseline — all on one filesystem. Removed on dispose.
/// </summary>
internal sealed class BenchEnvironment : IDisposable
{
    private int _disposed;

    public BenchEnvironment(string parent)
    {
        Base = Path.Combine(Path.GetFullPath(parent), "gateway-bench-" + Guid.NewGuid().ToString("N")[..12]);
        State = Path.Combine(Base, "state");
        Export = Path.Combine(Base, "export");
        Direct = Path.Combine(Base, "direct");
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(Export);
        Directory.CreateDirectory(Direct);
        try
        {
            Store = GatewayStore.Open(State);
            Vfs = LocalVfs.Open(Store, "bench", Export);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Base { get; }
    public string State { get; }
    /// <summary>Root of the export: the Vfs side works here (inotify watches it, as in production).</summary>
    public string Export { get; }
    /// <summary>Sibling of the export for the direct side, so its files never show up in the Vfs's inotify stream.</summary>
    public string Direct { get; }
    public GatewayStore Store { get; } = null!;
    public LocalVfs Vfs { get; } = null!;

    /// <summary>Makes a directory inside the export through the Vfs.</summary>
    public NodeId VfsDirectory(string name) => Expect(Vfs.Mkdir(Principal.Root, Vfs.Root, name)).Node;

    public static T Expect<T>(VfsResult<T> r) =>
        r.IsOk ? r.Value : throw new InvalidOperationException($"Vfs call failed: {r.Status}");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Vfs?.Dispose();
        Store?.Dispose();
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {Base}: {e.Message}");
        }
    }
}
