using System.CommandLine;
using Gateway.Host;

namespace Gateway.Cli;

/// <summary>`gateway mount DIR MNT`: the loopback mount alone, no network protocols.</summary>
internal static class MountCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The existing directory to mount." };
        var mnt = new Argument<string>("MNT") { Description = "An empty directory to mount it on." };
        var name = new Option<string?>("--name") { Description = "Export name (default: the directory's own name).", HelpName = "NAME" };
        var readOnly = new Option<bool>("--read-only") { Description = "Mount read-only." };
        var stateDir = new Option<string?>("--state-dir")
        {
            Description = "The gateway's state database (default as for `gateway export`). Give the same one as a running export's to share its node ids and locks after it stops.",
            HelpName = "DIR",
        };
        var command = new Command("mount",
            "Mount DIR at MNT through FUSE, through the same layer the NFS and SMB servers use (node ids, locks, " +
            "outside-change tracking), until interrupted or unmounted (`umount MNT`). To serve the network and mount " +
            "at once, use `gateway export DIR --mount MNT`.")
        {
            dir, mnt, name, readOnly, stateDir,
        };
        command.SetAction(async (result, ct) =>
        {
            var path = Path.GetFullPath(result.GetValue(dir)!);
            var options = new GatewayOptions
            {
                StateDirectory = Path.GetFullPath(result.GetValue(stateDir) ?? StateDirectory.Default()),
                Exports = [new ExportOptions
                {
                    Name = result.GetValue(name) ?? GatewayRun.DefaultName(path),
                    Path = path,
                    ReadOnly = result.GetValue(readOnly),
                }],
                Nfs = null,
                Smb = null,
                MountPoint = Path.GetFullPath(result.GetValue(mnt)!),
            };
            return await GatewayRun.RunAsync(options, ct);
        });
        return command;
    }
}
