using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Nfs;

/// <summary>`rpcinfo -p 127.0.0.1` (Debian's rpcbind package) finds the gateway's programs through port 111.</summary>
[Collection(KernelCollection.Name)] // port 111 is one per machine: never two of these at once
public sealed class PortmapTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    [Fact]
    public async Task Rpcinfo_lists_nfs_mount_nlm_and_nsm_at_the_gateway_port()
    {
        await using var gateway = await GatewayProcess.StartAsync(_dirs.Export, _dirs.State, nfsPort: 0, "--portmap", "auto");
        Assert.Matches("portmapper served on 127.0.0.1:111|registered with the system rpcbind", gateway.Stdout);
        using var rpcinfo = ChildProcess.Start("rpcinfo", "-p", "127.0.0.1");
        Assert.Equal(0, await rpcinfo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var lines = rpcinfo.Stdout.Split('\n');
        var port = gateway.NfsPort.ToString();
        Assert.Contains(lines, l => l.Contains("100003") && l.Contains(" 3 ") && l.Contains("tcp") && l.Contains(port) && l.Contains("nfs"));
        Assert.Contains(lines, l => l.Contains("100005") && l.Contains("tcp") && l.Contains(port) && l.Contains("mountd"));
        Assert.Contains(lines, l => l.Contains("100021") && l.Contains(" 4 ") && l.Contains(port) && l.Contains("nlockmgr"));
        Assert.Contains(lines, l => l.Contains("100024") && l.Contains(port) && l.Contains("status"));
    }

    public void Dispose() => _dirs.Dispose();
}
