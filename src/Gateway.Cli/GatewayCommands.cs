using System.CommandLine;
using System.Net;

namespace Gateway.Cli;

/// <summary>The command tree: `gateway export`, `gateway --version`, `gateway --help`.</summary>
internal static class GatewayCommands
{
    public const int ExitOk = 0, ExitFailure = 1, ExitUsage = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Gateway shares a directory that already exists on this machine over NFS (v3, with MOUNT, NLM and NSM) and " +
            "SMB (2.0.2 to 3.1.1), and can mount the same tree back through FUSE, with one view of the truth: what one " +
            "protocol writes or locks, every other sees.\n\n" +
            "Start with `gateway export DIR` (add --smb-port/--nfs-port 0 to pick free ports when not root). See README.md.");
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(MountCommand.Create());
        root.Subcommands.Add(UserCommand.Create());
        return root;
    }

    /// <summary>Parses --listen: an IPv4/IPv6 literal or "localhost".</summary>
    public static IPAddress? ParseListen(string? value) => value switch
    {
        null => IPAddress.Loopback,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(value, out var a) ? a : null,
    };
}
