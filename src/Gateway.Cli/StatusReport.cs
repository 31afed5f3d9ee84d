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
        if (host.Nfs is not null || host.Smb is not null) o.WriteLine($"  listen: {host.Options.ListenAddress}");
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
        PrintSmb(host, o);
        o.WriteLine(host.Mount is { } m ? $"  FUSE: {host.Exports[0].Name} mounted at {m.MountPoint}" : "  FUSE: not mounted (--mount MNT)");
        o.WriteLine("Press Ctrl-C to stop.");
        o.Flush();
    }

    private static void PrintSmb(GatewayHost host, TextWriter o)
    {
        if (host.Smb is not { } smb)
        {
            o.WriteLine("  SMB:  off");
            return;
        }
        var address = host.Options.ListenAddress;
        var shown = address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any) ? "HOST" : address.ToString();
        var encryption = smb.Options.Encryption == Gateway.Host.Smb.SmbEncryption.Required ? "encryption required" : "encrypted when the client asks";
        o.WriteLine($"  SMB:  {address} port {smb.Port} (SMB 2.0.2-3.1.1; signing required; {encryption})");
        var user = smb.UserHint ?? "USER";
        var portOption = smb.Port == Gateway.Host.Smb.SmbOptions.DefaultPort ? "" : $" -p {smb.Port}";
        foreach (var vfs in host.Exports)
        {
            o.WriteLine($"        smbclient //{shown}/{vfs.Name}{portOption} -U {user}");
            o.WriteLine($"        mount -t cifs -o port={smb.Port},vers=3.1.1,username={user} //{shown}/{vfs.Name} /mnt/{vfs.Name}");
        }
        if (smb.CreatedUser is { } created)
            o.WriteLine($"  SMB user '{created.Name}' created; password: {created.Password} (shown once; change it with `gateway user add {created.Name}`)");
    }
}
