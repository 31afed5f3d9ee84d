using System.Net;
using Gateway.Host.Rpc;
using Gateway.Nfs;
using Gateway.Nfs.Mount;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Host;

/// <summary>Builds the NFS exports and starts NFSv3 + MOUNT on one port (with a portmapper when it can).</summary>
internal static class NfsService
{
    public static async Task<(RpcService Service, NfsExports Exports)> StartAsync(
        GatewayOptions options, NfsOptions nfs, IReadOnlyList<LocalVfs> vfss, GatewayStore store)
    {
        var policy = new ExportPolicy
        {
            AllowedHosts = AllowedHosts(nfs, options.ListenAddress),
            Squash = nfs.Squash,
        };
        var exports = new NfsExports(vfss.Select(v => NfsExport.For(v, policy)));
        var codec = new NfsHandleCodec(NfsHandleCodec.LoadOrCreateKey(store));
        IRpcProgram[] programs = [new Nfs3Program(exports, codec, options.Log), new MountProgram(exports, codec)];
        var service = await RpcService.StartAsync(new IPEndPoint(options.ListenAddress, nfs.Port), programs, nfs.Portmap, options.Log);
        return (service, exports);
    }

    /// <summary>
    /// The listed hosts, or by default the listen address's own host: loopback for 127.0.0.1 (the
    /// default), that address for a specific one, and loopback only for a wildcard (say --nfs-allow).
    /// </summary>
    public static IReadOnlyList<HostMatch> AllowedHosts(NfsOptions nfs, IPAddress listen)
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
