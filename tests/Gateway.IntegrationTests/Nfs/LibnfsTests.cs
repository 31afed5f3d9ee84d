using System.Security.Cryptography;
using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Nfs;

/// <summary>Debian's libnfs-utils (nfs-ls, nfs-cp, nfs-cat) against the real gateway over NFSv3.</summary>
public sealed class LibnfsTests : IAsyncLifetime
{
    private readonly TempDirs _dirs = new();
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dirs.Export, "src", "lib"));
        File.WriteAllText(Path.Combine(_dirs.Export, "README"), "hello over nfs\n");
        File.WriteAllText(Path.Combine(_dirs.Export, "src", "main.c"), "int main(void) { return 0; }\n");
        File.WriteAllText(Path.Combine(_dirs.Export, "src", "lib", "util.c"), "/* util */\n");
        _gateway = await GatewayProcess.StartAsync(_dirs.Export, _dirs.State);
    }

    private static async Task<string> Tool(string tool, params string[] args)
    {
        using var p = ChildProcess.Start(tool, args);
        var code = await p.WaitForExitAsync(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited {code}: {p.Stderr}{p.Stdout}");
        return p.Stdout;
    }

    [Fact]
    public async Task Nfs_ls_lists_the_tree_recursively()
    {
        var listing = await Tool("nfs-ls", "-R", _gateway.NfsUrl());
        Assert.Contains("README", listing);
        Assert.Contains("src/main.c", listing);
        Assert.Contains("src/lib/util.c", listing);
    }

    [Fact]
    public async Task Nfs_cat_prints_a_file()
    {
        Assert.Equal("hello over nfs\n", await Tool("nfs-cat", _gateway.NfsUrl("README")));
    }

    [Fact]
    public async Task Nfs_cp_copies_100_MiB_in_and_out_unchanged()
    {
        var local = Path.Combine(_dirs.Base, "big.bin");
        var back = Path.Combine(_dirs.Base, "big.back");
        var data = new byte[100 << 20];
        new Random(7).NextBytes(data);
        await File.WriteAllBytesAsync(local, data);
        var expected = Convert.ToHexString(SHA256.HashData(data));

        await Tool("nfs-cp", local, _gateway.NfsUrl("big.bin"));
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_dirs.Export, "big.bin")))));
        await Tool("nfs-cp", _gateway.NfsUrl("big.bin"), back);
        Assert.Equal(expected, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(back))));
    }

    [Fact]
    public async Task A_path_that_is_not_exported_is_refused()
    {
        using var p = ChildProcess.Start("nfs-ls", $"nfs://127.0.0.1/not-exported/?nfsport={_gateway.NfsPort}&mountport={_gateway.NfsPort}&version=3");
        Assert.NotEqual(0, await p.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(0, await _gateway.StopAsync());
        await _gateway.DisposeAsync();
        _dirs.Dispose();
    }
}
