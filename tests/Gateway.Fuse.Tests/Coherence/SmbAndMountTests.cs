using Xunit.Abstractions;

namespace Gateway.Fuse.Tests.Coherence;

/// <summary>
/// SMB and the mount: a file put with smbclient is read through the mount (warm cache included), and one
/// written through the mount is fetched with smbclient. The user is the one the gateway creates on first
/// start (its password is reported once, by the host).
/// </summary>
public sealed class SmbAndMountTests(GatewayWithMount gw, ITestOutputHelper output) : IClassFixture<GatewayWithMount>
{
    private (int Exit, string Out, string Err) Smb(string command)
    {
        var (user, password) = gw.Host.Smb!.CreatedUser ?? throw new InvalidOperationException("the gateway reported no SMB user");
        return NfsAndMountTests.Run("smbclient", $"//127.0.0.1/{GatewayWithMount.Name}", "-p", gw.SmbPort.ToString(),
            "-U", $"{user}%{password}", "-c", command);
    }

    [Fact]
    public void A_file_put_with_smbclient_is_read_through_the_mount()
    {
        var data = new byte[1024 * 1024 + 3];
        new Random(11).NextBytes(data);
        var local = Path.Combine(gw.Scratch, "smb-put.bin");
        File.WriteAllBytes(local, data);
        File.WriteAllText(gw.D("smb-put.bin"), "old content, cached by the mount");
        Assert.Equal("old content, cached by the mount", File.ReadAllText(gw.M("smb-put.bin")));

        var (exit, stdout, stderr) = Smb($"put {local} smb-put.bin");
        Assert.True(exit == 0, $"smbclient put: exit {exit}: {stdout} {stderr}");
        var took = Eventually.Within(() => new FileInfo(gw.M("smb-put.bin")).Length == data.Length && File.ReadAllBytes(gw.M("smb-put.bin")).AsSpan().SequenceEqual(data),
            () => $"size through the mount {new FileInfo(gw.M("smb-put.bin")).Length}, expected {data.Length}");
        output.WriteLine($"SMB put -> mount: {took.TotalMilliseconds:F0} ms");

        (exit, stdout, stderr) = Smb("rename smb-put.bin smb-renamed.bin");
        Assert.True(exit == 0, $"smbclient rename: exit {exit}: {stdout} {stderr}");
        Eventually.Within(() => !File.Exists(gw.M("smb-put.bin")) && File.Exists(gw.M("smb-renamed.bin")), () => "the rename is not seen through the mount");
    }

    [Fact]
    public void A_file_written_through_the_mount_is_fetched_with_smbclient()
    {
        var data = new byte[2 * 1024 * 1024 + 5];
        new Random(12).NextBytes(data);
        File.WriteAllBytes(gw.M("smb-get.bin"), data);
        var local = Path.Combine(gw.Scratch, "smb-get.bin");
        var (exit, stdout, stderr) = Smb($"get smb-get.bin {local}");
        Assert.True(exit == 0, $"smbclient get: exit {exit}: {stdout} {stderr}");
        Assert.True(File.ReadAllBytes(local).AsSpan().SequenceEqual(data), "smbclient fetched something else than the mount wrote");
    }
}
