using System.CommandLine;
using Gateway.Host;
using Gateway.Host.Rpc;
using Gateway.Host.Smb;
using Gateway.Nfs;

namespace Gateway.Cli;

/// <summary>`gateway export DIR`: serve one directory until Ctrl-C or SIGTERM.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The existing directory to export. It is served as it is: nothing is copied or moved." };
        var name = new Option<string?>("--name")
        {
            Description = "Export name, used in the SMB share name and the NFS path (default: the directory's own name).",
            HelpName = "NAME",
        };
        var listen = new Option<string?>("--listen")
        {
            Description = "Address the servers listen on (default 127.0.0.1: only this machine can connect). Use 0.0.0.0 or :: to serve the network.",
            HelpName = "ADDR",
        };
        var nfsPort = new Option<int>("--nfs-port")
        {
            Description = "TCP port of the NFS server (NFSv3 and MOUNT v3 share it). Default 2049; 0 picks a free port and prints it.",
            HelpName = "N",
            DefaultValueFactory = _ => NfsOptions.DefaultPort,
        };
        var noNfs = new Option<bool>("--no-nfs") { Description = "Do not serve NFS." };
        var portmap = new Option<PortmapMode>("--portmap")
        {
            Description = "auto (default): serve the portmapper on port 111 when it is free, else register with a running rpcbind, else go without (clients then give the port, as the start message shows). off: never.",
            HelpName = "auto|off",
            DefaultValueFactory = _ => PortmapMode.Auto,
        };
        var nfsAllow = new Option<string[]>("--nfs-allow")
        {
            Description = "Clients that may mount over NFS: IP addresses, CIDR blocks (10.0.0.0/8) or '*', repeatable or comma-separated. Default: the listen address's own host (127.0.0.1 only, unless --listen names another address).",
            HelpName = "HOSTS",
            AllowMultipleArgumentsPerToken = true,
        };
        var grace = new Option<int>("--nlm-grace")
        {
            Description = "Seconds after a restart during which NFS lock clients may only reclaim the locks they held (default 45; skipped when no client held a lock).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 45,
        };
        var squash = new Option<Squash>("--squash")
        {
            Description = "Whose identity NFS clients act with. all (default): every client acts as the owner of DIR. root: uid 0 becomes that owner, others keep theirs. none: AUTH_SYS ids are taken as sent.",
            HelpName = "all|root|none",
            DefaultValueFactory = _ => Squash.All,
        };
        var smbPort = new Option<int>("--smb-port")
        {
            Description = "TCP port of the SMB server (SMB 2.0.2 to 3.1.1). Default 445, which needs root; 0 picks a free port and prints it.",
            HelpName = "N",
            DefaultValueFactory = _ => SmbOptions.DefaultPort,
        };
        var noSmb = new Option<bool>("--no-smb") { Description = "Do not serve SMB." };
        var smbEncrypt = new Option<SmbEncryption>("--smb-encrypt")
        {
            Description = "auto (default): SMB traffic is encrypted when the client asks for it and signed otherwise. required: the share refuses unencrypted access (SMB 3 clients only).",
            HelpName = "auto|required",
            DefaultValueFactory = _ => SmbEncryption.Auto,
        };
        var mount = new Option<string?>("--mount")
        {
            Description = "Also mount the export at this directory through FUSE, so local programs see the same files, locks and changes as the network clients. Unmounted when the gateway stops.",
            HelpName = "MNT",
        };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse every change through the gateway (files can still change on disk)." };
        var stateDir = new Option<string?>("--state-dir")
        {
            Description = "Where the gateway keeps its database of node ids, locks and users (default: /var/lib/gateway as root, else $XDG_STATE_HOME/gateway or ~/.local/state/gateway).",
            HelpName = "DIR",
        };

        var command = new Command("export",
            "Export DIR and serve it until interrupted (Ctrl-C or SIGTERM stop it cleanly). Files renamed or deleted in DIR " +
            "by other programs while the gateway runs are noticed, so handles held by clients stay right.")
        {
            dir, name, listen, nfsPort, noNfs, portmap, nfsAllow, squash, grace, smbPort, noSmb, smbEncrypt, mount, readOnly, stateDir,
        };

        command.SetAction(async (result, ct) =>
        {
            var address = GatewayCommands.ParseListen(result.GetValue(listen));
            if (address is null) return GatewayRun.Fail($"--listen: '{result.GetValue(listen)}' is not an IP address", GatewayCommands.ExitUsage);

            var path = Path.GetFullPath(result.GetValue(dir)!);
            var options = new GatewayOptions
            {
                StateDirectory = Path.GetFullPath(result.GetValue(stateDir) ?? StateDirectory.Default()),
                ListenAddress = address,
                Exports = [new ExportOptions
                {
                    Name = result.GetValue(name) ?? GatewayRun.DefaultName(path),
                    Path = path,
                    ReadOnly = result.GetValue(readOnly),
                }],
                Nfs = result.GetValue(noNfs) ? null : new NfsOptions
                {
                    Port = result.GetValue(nfsPort),
                    Portmap = result.GetValue(portmap),
                    AllowedHosts = (result.GetValue(nfsAllow) ?? []).SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
                    Squash = result.GetValue(squash),
                    GracePeriod = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(grace), 0, 3600)),
                },
                Smb = result.GetValue(noSmb) ? null : new SmbOptions
                {
                    Port = result.GetValue(smbPort),
                    Encryption = result.GetValue(smbEncrypt),
                },
                MountPoint = result.GetValue(mount) is { } m ? Path.GetFullPath(m) : null,
            };
            return await GatewayRun.RunAsync(options, ct);
        });
        return command;
    }
}
