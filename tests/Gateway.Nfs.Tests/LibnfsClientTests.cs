using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests;

/// <summary>
/// Debian's libnfs-utils against both programs over a real TCP RpcServer on loopback (MOUNT and
/// NFS on one port, as the host serves them): the wire as a real client speaks it, without the host.
/// </summary>
public sealed class LibnfsClientTests : IAsyncLifetime
{
    private readonly NfsHarness _h = new();
    private RpcServer _server = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_h.Tree.At("src/lib"));
        File.WriteAllText(_h.Tree.At("README"), "hello over nfs\n");
        File.WriteAllText(_h.Tree.At("src/lib/util.c"), "/* util */\n");
        for (var i = 0; i < 300; i++) File.WriteAllText(_h.Tree.At($"src/f{i:D3}.txt"), $"{i}\n");
        _server = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), _h.Dispatcher);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _h.Dispose();
    }

    private string Url(string relative = "") =>
        $"nfs://127.0.0.1/export/{relative}?nfsport={_server.Port}&mountport={_server.Port}&version=3";

    private static async Task<string> RunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish: {await stderr}");
        }
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }

    [Fact]
    public async Task Nfs_ls_lists_the_tree_recursively_through_readdirplus_pages()
    {
        var listing = await RunAsync("nfs-ls", "-R", Url());
        Assert.Contains("README", listing);
        Assert.Contains("src/lib/util.c", listing);
        Assert.Contains("src/f299.txt", listing);
        Assert.Equal(300, listing.Split('\n').Count(l => l.Contains("src/f", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Nfs_cat_reads_a_file()
    {
        Assert.Equal("hello over nfs\n", await RunAsync("nfs-cat", Url("README")));
    }

    [Fact]
    public async Task Nfs_cp_copies_3_MiB_in_and_out_unchanged()
    {
        var data = RandomNumberGenerator.GetBytes(3 << 20);
        var local = Path.Combine(_h.Tree.Base, "in.bin");
        var back = Path.Combine(_h.Tree.Base, "back.bin");
        await File.WriteAllBytesAsync(local, data);
        await RunAsync("nfs-cp", local, Url("copy.bin"));
        Assert.Equal(data, await File.ReadAllBytesAsync(_h.Tree.At("copy.bin")));
        await RunAsync("nfs-cp", Url("copy.bin"), back);
        Assert.Equal(data, await File.ReadAllBytesAsync(back));
    }
}
