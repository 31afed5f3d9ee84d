using Gateway.Host;

namespace Gateway.Cli;

/// <summary>What `gateway export` prints once it is up: where things are, and plainly what is not served yet.</summary>
internal static class StatusReport
{
    public static void PrintStarted(GatewayHost host, TextWriter o)
    {
        var version = typeof(StatusReport).Assembly.GetName().Version?.ToString(3) ?? "?";
        o.WriteLine($"gateway {version}: ready");
        foreach (var vfs in host.Exports)
        {
            var mode = vfs.ReadOnly ? "read-only" : "read-write";
            var watch = vfs.WatchingExternalChanges ? "watching for outside changes" : "NOT watching for outside changes (inotify unavailable)";
            o.WriteLine($"  export '{vfs.Name}': {vfs.RootPath} ({mode}; {vfs.NodeCount} {(vfs.NodeCount == 1 ? "node" : "nodes")} known; {watch})");
            if (vfs.LastReconcile is { } r)
                o.WriteLine($"    recovered after an unclean stop: {r.Checked} nodes checked, {r.Repaired} re-homed, {r.Dropped} dropped");
        }
        o.WriteLine($"  state: {host.Store.Path}");
        o.WriteLine($"  listen: {host.Options.ListenAddress}");
        if (host.Nfs is { } nfs)
        {
            var address = host.Options.ListenAddress;
            var shown = address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any) ? "HOST" : address.ToString();
            var port = nfs.Rpc.Port;
            // A client's lockd finds NLM through the portmapper: without one, it must mount with nolock.
            var portmapper = nfs.Rpc.PortmapStatus.StartsWith("portmapper served", StringComparison.Ordinal)
                || nfs.Rpc.PortmapStatus.StartsWith("registered", StringComparison.Ordinal);
            var grace = nfs.InGracePeriod ? "; NLM grace period: lock reclaims only" : "";
            o.WriteLine($"  NFS:  {address} port {port} (NFSv3, MOUNT v3, NLM v4, NSM; {nfs.Rpc.PortmapStatus}{grace})");
            foreach (var e in nfs.Exports.All)
            {
                o.WriteLine($"        allowed: {string.Join(", ", e.Policy.AllowedHosts.Select(h => h.Text))}; clients act as uid {e.AnonUid} ({e.Policy.Squash.ToString().ToLowerInvariant()} squash)");
                o.WriteLine($"        mount -t nfs -o vers=3,proto=tcp,port={port},mountport={port}{(portmapper ? "" : ",nolock")} {shown}:{e.MountPath} /mnt/{e.Name}");
            }
        }
        else
        {
            o.WriteLine("  NFS:  off");
        }
        o.WriteLine("  SMB:  not available in this version");
        o.WriteLine("  FUSE: not available in this version");
        o.WriteLine("Press Ctrl-C to stop.");
        o.Flush();
    }
}
