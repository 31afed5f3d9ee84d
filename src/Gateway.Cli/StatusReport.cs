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
            o.WriteLine($"  export '{vfs.Name}': {vfs.RootPath} ({mode}; {vfs.NodeCount} nodes known; {watch})");
            if (vfs.LastReconcile is { } r)
                o.WriteLine($"    recovered after an unclean stop: {r.Checked} nodes checked, {r.Repaired} re-homed, {r.Dropped} dropped");
        }
        o.WriteLine($"  state: {host.Store.Path}");
        o.WriteLine($"  listen: {host.Options.ListenAddress}");
        o.WriteLine("  NFS:  not available in this version (the NFSv3 server is the next milestone)");
        o.WriteLine("  SMB:  not available in this version");
        o.WriteLine("  FUSE: not available in this version");
        o.WriteLine("Press Ctrl-C to stop.");
        o.Flush();
    }
}
