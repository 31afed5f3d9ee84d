using System.Net;
using System.Net.Sockets;
using Gateway.Fuse;
using Gateway.Host.Rpc;
using Gateway.Host.Smb;
using Gateway.Nfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Host;

/// <summary>
/// A running gateway: the state store, one Vfs per export, and (as they are built) the protocol
/// servers in front of them. Start validates everything first and fails with one clear message;
/// Dispose stops in reverse order and closes the store cleanly (so the next start needs no recovery).
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly List<LocalVfs> _exports = new();
    private GatewayStore? _store;
    private NfsService? _nfs;
    private SmbService? _smb;
    private FuseMount? _mount;

    private GatewayHost(GatewayOptions options) => Options = options;

    public GatewayOptions Options { get; }
    public IReadOnlyList<LocalVfs> Exports => _exports;
    public GatewayStore Store => _store ?? throw new InvalidOperationException("not started");

    /// <summary>The NFS server, when one runs.</summary>
    public NfsService? Nfs => _nfs;

    /// <summary>The SMB server, when one runs.</summary>
    public SmbService? Smb => _smb;

    /// <summary>The FUSE mount of the first export, when asked for.</summary>
    public FuseMount? Mount => _mount;

    public static async Task<GatewayHost> StartAsync(GatewayOptions options)
    {
        Validate(options);
        var host = new GatewayHost(options);
        try
        {
            host.StartCore();
            if (options.Nfs is { } nfs)
                host._nfs = await NfsService.StartAsync(options, nfs, host._exports, host._store!);
            if (options.Smb is { } smb)
                host._smb = SmbService.Start(options, smb, host._exports, host._store!);
            if (options.MountPoint is { } mnt)
                host._mount = MountFirstExport(host, mnt);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static void Validate(GatewayOptions options)
    {
        if (options.Exports.Count == 0) throw new GatewayStartupException("nothing to export");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in options.Exports)
        {
            if (File.Exists(e.Path)) throw new GatewayStartupException($"{e.Path} is not a directory");
            if (!Directory.Exists(e.Path)) throw new GatewayStartupException($"{e.Path} does not exist");
            if (!IsValidExportName(e.Name))
                throw new GatewayStartupException($"export name '{e.Name}' is not usable: use 1-64 letters, digits, '.', '-' or '_'");
            if (!names.Add(e.Name)) throw new GatewayStartupException($"export name '{e.Name}' is used twice");
        }
        CheckListenAddress(options.ListenAddress);
        if (options.Nfs is { Port: < 0 or > 65535 } n) throw new GatewayStartupException($"--nfs-port: {n.Port} is not a port number");
        if (options.Smb is { Port: < 0 or > 65535 } s) throw new GatewayStartupException($"--smb-port: {s.Port} is not a port number");
        if (options.Nfs is { Port: > 0 } nfsPort && options.Smb is { } smbPort && nfsPort.Port == smbPort.Port)
            throw new GatewayStartupException($"--nfs-port and --smb-port are both {smbPort.Port}: give them different ports");
        StateDirectory.EnsureWritable(options.StateDirectory);
    }

    public static bool IsValidExportName(string name) =>
        name.Length is > 0 and <= 64 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>The address must belong to this machine: binding port 0 on it proves that without taking a port.</summary>
    private static void CheckListenAddress(IPAddress address)
    {
        try
        {
            using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, 0));
        }
        catch (SocketException e)
        {
            throw new GatewayStartupException($"cannot listen on {address}: {e.Message}");
        }
    }

    private void StartCore()
    {
        try
        {
            _store = GatewayStore.Open(Options.StateDirectory);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new GatewayStartupException($"cannot open the state database in {Options.StateDirectory}: {e.Message}");
        }
        foreach (var e in Options.Exports)
        {
            try
            {
                _exports.Add(LocalVfs.Open(_store, e.Name, e.Path, new LocalVfsOptions
                {
                    ReadOnly = e.ReadOnly,
                    WatchExternalChanges = e.WatchExternalChanges,
                }));
            }
            catch (IOException ex)
            {
                throw new GatewayStartupException($"cannot export {e.Path}: {ex.Message}");
            }
        }
    }

    private static FuseMount MountFirstExport(GatewayHost host, string mountPoint)
    {
        try
        {
            return FuseMount.Mount(host._exports[0], mountPoint, new FuseMountOptions
            {
                ReadOnly = host._exports[0].ReadOnly,
                FsName = $"gateway:{host._exports[0].Name}",
                Log = host.Options.Log,
            });
        }
        catch (FuseMountException e)
        {
            throw new GatewayStartupException($"--mount {mountPoint}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The mount first: a local process blocked on it must not outlive the exports it reads.
        if (_mount is not null) await _mount.DisposeAsync();
        _mount = null;
        if (_smb is not null) await _smb.DisposeAsync();
        _smb = null;
        if (_nfs is not null) await _nfs.DisposeAsync(); // stop taking requests before the exports close
        _nfs = null;
        for (var i = _exports.Count - 1; i >= 0; i--) _exports[i].Dispose();
        _exports.Clear();
        _store?.Dispose();
        _store = null;
    }
}
