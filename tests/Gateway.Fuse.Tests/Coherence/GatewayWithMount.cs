using System.Collections.Concurrent;
using Gateway.Fuse.Tests.Posix;
using Gateway.Host;
using Gateway.Host.Rpc;
using Gateway.Host.Smb;
using Gateway.Nfs;

namespace Gateway.Fuse.Tests.Coherence;

/// <summary>
/// The real gateway in this process (GatewayHost, as `gateway export DIR --mount MNT` runs it): one export
/// "coh" over NFS (free port, no portmapper, no squashing), SMB (free port) and the FUSE mount of it.
/// Disposing stops everything and unmounts, then removes the temp area.
/// </summary>
public sealed class GatewayWithMount : IAsyncLifetime
{
    public GatewayWithMount()
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-fuse-coh-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var d in new[] { Base, Export, MountPoint, State, Scratch }) Directory.CreateDirectory(d);
        foreach (var d in new[] { Base, Export, MountPoint }) MountFixture.Chmod755(d);
    }

    public const string Name = "coh";
    public string Base { get; }
    public string Export => Path.Combine(Base, Name);
    public string MountPoint => Path.Combine(Base, "mnt");
    public string State => Path.Combine(Base, "state");
    /// <summary>Local files for the clients to copy from (outside the export).</summary>
    public string Scratch => Path.Combine(Base, "scratch");
    public GatewayHost Host { get; private set; } = null!;
    public ConcurrentQueue<string> Log { get; } = new();

    public int NfsPort => Host.Nfs!.Rpc.Port;
    public int SmbPort => Host.Smb!.Port;

    public string M(string relative) => Path.Combine(MountPoint, relative);

    public string D(string relative) => Path.Combine(Export, relative);

    public async Task InitializeAsync()
    {
        Host = await GatewayHost.StartAsync(new GatewayOptions
        {
            StateDirectory = State,
            Exports = [new ExportOptions { Name = Name, Path = Export }],
            Nfs = new NfsOptions { Port = 0, Portmap = PortmapMode.Off, Squash = Squash.None },
            Smb = new SmbOptions { Port = 0 },
            MountPoint = MountPoint,
            Log = Log.Enqueue,
        });
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Host is not null) await Host.DisposeAsync();
        }
        finally
        {
            MountTable.Unmount(MountPoint);
            if (!MountTable.IsMountPoint(MountPoint)) MountTable.Run("rm", "-rf", "--one-file-system", Base);
        }
    }
}
