using System.Net;
using Gateway.Host.Rpc;
using Gateway.Nfs;
using Gateway.Nfs.Mount;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Nsm;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Host;

/// <summary>
/// The NFS side of a gateway: NFSv3, MOUNT, NLM v4 and NSM on one port (with a portmapper when it can).
/// Disposing stops the port first, then withdraws blocked lock requests; granted locks stay in the
/// Store so clients reclaim them in the grace period after the next start.
/// </summary>
public sealed class NfsService : IAsyncDisposable
{
    private readonly NlmProgram _nlm;
    private readonly NsmProgram _nsm;

    private NfsService(RpcService rpc, NfsExports exports, NlmProgram nlm, NsmProgram nsm)
    {
        Rpc = rpc;
        Exports = exports;
        _nlm = nlm;
        _nsm = nsm;
    }

    public RpcService Rpc { get; }
    public NfsExports Exports { get; }
    public bool InGracePeriod => _nlm.InGracePeriod;
    public int NsmState => _nsm.State;

    public static async Task<NfsService> StartAsync(
        GatewayOptions options, NfsOptions nfs, IReadOnlyList<LocalVfs> vfss, GatewayStore store)
    {
        var policy = new ExportPolicy
        {
            AllowedHosts = AllowedHosts(nfs, options.ListenAddress),
            Squash = nfs.Squash,
        };
        var exports = new NfsExports(vfss.Select(v => NfsExport.For(v, policy)));
        var codec = new NfsHandleCodec(NfsHandleCodec.LoadOrCreateKey(store));
        // Built once per start: the NSM state number moves on and the NLM grace period begins here.
        var nsm = new NsmProgram(store, new NsmOptions(), options.Log);
        var nlm = new NlmProgram(exports, codec, new NlmOptions { Store = store, Nsm = nsm, GracePeriod = nfs.GracePeriod }, options.Log);
        IRpcProgram[] programs = [new Nfs3Program(exports, codec, options.Log), new MountProgram(exports, codec, options.Log), nlm, nsm];
        RpcService rpc;
        try
        {
            rpc = await RpcService.StartAsync(new IPEndPoint(options.ListenAddress, nfs.Port), programs, nfs.Portmap, options.Log);
        }
        catch
        {
            nlm.Dispose();
            nsm.Dispose();
            throw;
        }
        // Tell the clients we were monitoring that we restarted, so they reclaim their locks. Best effort
        // and logged by NSM; start-up does not wait for clients that are gone.
        _ = nsm.NotifyRebootAsync();
        return new NfsService(rpc, exports, nlm, nsm);
    }

    public async ValueTask DisposeAsync()
    {
        await Rpc.DisposeAsync();
        _nlm.Dispose();
        _nsm.Dispose();
    }

    /// <summary>
    /// The listed hosts, or by default the listen address's own host: loopback for 127.0.0.1 (the
    /// default), that address for a specific one, and loopback only for a wildcard (say --nfs-allow).
    /// </summary>
    internal static IReadOnlyList<HostMatch> AllowedHosts(NfsOptions nfs, IPAddress listen)
    {
        if (nfs.AllowedHosts.Count > 0)
        {
            var list = new List<HostMatch>();
            foreach (var h in nfs.AllowedHosts)
            {
                if (!HostMatch.TryParse(h, out var m))
                    throw new GatewayStartupException($"--nfs-allow: '{h}' is not an IP address, a CIDR block or '*'");
                list.Add(m);
            }
            return list;
        }
        if (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(listen))
            return ExportPolicy.Loopback.AllowedHosts;
        return [HostMatch.Single(listen), .. ExportPolicy.Loopback.AllowedHosts];
    }
}
