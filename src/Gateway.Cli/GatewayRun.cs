using System.Runtime.InteropServices;
using Gateway.Host;

namespace Gateway.Cli;

/// <summary>Starting a gateway from the command line and running it until a signal (or, for a mount, until it is unmounted).</summary>
internal static class GatewayRun
{
    public static async Task<int> RunAsync(GatewayOptions options, CancellationToken ct)
    {
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(options);
        }
        catch (GatewayStartupException e)
        {
            return Fail(e.Message, GatewayCommands.ExitUsage);
        }

        await using (host)
        {
            var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult("SIGINT"); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult("SIGTERM"); });
            using var reg = ct.Register(() => stop.TrySetResult("cancel"));
            // `umount MNT` from outside ends a mount-only gateway, as it would end a FUSE filesystem.
            if (host.Mount is { } mount && options.Nfs is null && options.Smb is null)
                _ = mount.Completion.ContinueWith(_ => stop.TrySetResult("unmounted"), TaskScheduler.Default);

            StatusReport.PrintStarted(host, Console.Out);
            var why = await stop.Task;
            Console.Out.WriteLine($"gateway: stopping ({why})");
        }
        Console.Out.WriteLine("gateway: stopped");
        return GatewayCommands.ExitOk;
    }

    public static string DefaultName(string path)
    {
        var n = Path.GetFileName(path.TrimEnd('/'));
        var cleaned = new string(n.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).TrimStart('.');
        return cleaned.Length is > 0 and <= 64 ? cleaned : "export";
    }

    public static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"gateway: {message}");
        return code;
    }
}
