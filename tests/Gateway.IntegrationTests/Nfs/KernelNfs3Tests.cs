using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Nfs;

/// <summary>The Linux kernel's NFSv3 client (in a qemu guest) against the real gateway.</summary>
[Collection(KernelCollection.Name)]
public sealed class KernelNfs3Tests : IDisposable
{
    private readonly TempDirs _dirs = new();

    [Fact]
    public async Task The_kernel_client_passes_the_posix_smoke()
    {
        await using var gateway = await GatewayProcess.StartAsync(_dirs.Export, _dirs.State);
        using var guest = KernelClient.Start("nfs3-posix-smoke.sh", "nfsv3",
            new Dictionary<string, string> { ["NFS_PORT"] = gateway.NfsPort.ToString(), ["EXPORT"] = "/" + gateway.Name });
        var code = await guest.WaitForExitAsync(TimeSpan.FromMinutes(10));
        var output = guest.Stdout + guest.Stderr;
        Assert.Empty(KernelClient.FailedChecks(output));
        Assert.True(code == 0, $"guest exit {code}:\n{output}\ngateway:\n{gateway.Stdout}{gateway.Stderr}");
        Assert.Equal(17, output.Split('\n').Count(l => l.StartsWith("KCV-CHECK:") && l.TrimEnd().EndsWith(" ok")));
        Assert.True(File.Exists(Path.Combine(_dirs.Export, "tree", "doc", "n39.txt")));
    }

    [Fact]
    public async Task The_kernel_client_keeps_working_across_a_gateway_restart()
    {
        var gateway = await GatewayProcess.StartAsync(_dirs.Export, _dirs.State);
        var port = gateway.NfsPort;
        var outFile = Path.Combine(_dirs.Base, "guest.out");
        using var guest = KernelClient.Start("nfs3-restart.sh", "nfsv3",
            new Dictionary<string, string> { ["NFS_PORT"] = port.ToString(), ["EXPORT"] = "/" + gateway.Name }, outFile);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            while (!(File.Exists(outFile) && File.ReadAllText(outFile).Contains("RESTART")))
            {
                Assert.True(DateTime.UtcNow < deadline, $"the guest never asked for the restart: {guest.Stdout}");
                await Task.Delay(100);
            }
            Assert.Equal(0, await gateway.StopAsync());
            await gateway.DisposeAsync();
            gateway = await GatewayProcess.StartAsync(_dirs.Export, _dirs.State, port);

            var code = await guest.WaitForExitAsync(TimeSpan.FromMinutes(5));
            var output = guest.Stdout + guest.Stderr;
            Assert.True(code == 0, $"guest exit {code}:\n{output}");
            Assert.Contains("KCV-CHECK: read_after_restart ok", output);
            Assert.Contains("KCV-CHECK: open_file_after_restart ok", output);
            Assert.Equal("after\n", File.ReadAllText(Path.Combine(_dirs.Export, "keep", "g")));
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    public void Dispose() => _dirs.Dispose();
}

/// <summary>Kernel-client guests run one at a time: each one is a whole emulated machine on 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel clients";
}
