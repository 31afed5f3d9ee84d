using Gateway.IntegrationTests.Nfs;
using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// The Linux kernel's CIFS client (qemu guest, tests/kernel/cifs-posix-smoke.sh) against the SMB server:
/// one boot mounts vers=3.1.1, vers=3.1.1 with seal, and vers=2.1 in turn and runs the POSIX smoke on each.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelCifsTests : IAsyncLifetime
{
    private readonly TempDirs _dirs = new();
    private ISmbTarget _target = null!;

    public async Task InitializeAsync() => _target = await SmbTargets.StartAsync(_dirs.Export, _dirs.State);

    [Fact]
    public async Task The_kernel_client_passes_the_posix_smoke_in_three_mounts()
    {
        using var guest = KernelClient.Start("cifs-posix-smoke.sh", "cifs", new Dictionary<string, string>
        {
            ["SMB_PORT"] = _target.Port.ToString(),
            ["SHARE"] = _target.Share,
            ["SMB_USER"] = _target.User,
            ["SMB_PASS"] = _target.Password,
        });
        var code = await guest.WaitForExitAsync(TimeSpan.FromMinutes(10));
        var output = guest.Stdout + guest.Stderr;
        var failed = KernelClient.FailedChecks(output);
        Assert.True(failed.Count == 0, $"failed: {string.Join(", ", failed)}\n{output}\nserver:\n{SmbClientTool.Tail(_target.Log)}");
        Assert.True(code == 0, $"guest exit {code}:\n{output}\nserver:\n{SmbClientTool.Tail(_target.Log)}");
        // 16 checks on each of the 3 mounts
        Assert.Equal(48, output.Split('\n').Count(l => l.StartsWith("KCV-CHECK:", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" ok", StringComparison.Ordinal)));
        Assert.Contains(",seal,", output);
        // what the guest wrote is in the shared directory itself
        foreach (var tag in new[] { "v3.1.1", "v3.1.1-seal", "v2.1" })
        {
            Assert.Equal("line 39\n", File.ReadAllText(Path.Combine(_target.SharePath, tag, "tree", "doc", "n39.txt")));
            Assert.Equal(16L << 20, new FileInfo(Path.Combine(_target.SharePath, tag, "r")).Length);
        }
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _dirs.Dispose();
    }
}
