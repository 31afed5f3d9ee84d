using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Clients;

public sealed class SmbclientServerCopyTests
{
    [Theory]
    [InlineData("SMB2_10")]
    [InlineData("SMB3_11")]
    public async Task ScopyCopiesOnTheServer(string dialect)
    {
        await using var h = new SmbHarness();
        var data = new byte[3 * 1024 * 1024 + 17];
        new Random(5).NextBytes(data);
        File.WriteAllBytes(h.At("src.bin"), data);
        var r = await Smbclient.RunAsync(h.Port, "share", dialect, "sign", "scopy src.bin dst.bin");
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        Assert.Equal(data, File.ReadAllBytes(h.At("dst.bin")));
    }

    [Fact]
    public async Task ManyFilesAndDeepTreesRoundTrip()
    {
        await using var h = new SmbHarness();
        var work = Path.Combine(h.Base, "client");
        Directory.CreateDirectory(Path.Combine(work, "tree", "a", "b"));
        for (var i = 0; i < 40; i++)
            File.WriteAllText(Path.Combine(work, "tree", i % 2 == 0 ? "a" : "a/b", $"f{i}.txt"), $"content {i}");
        var r = await Smbclient.RunAsync(h.Port, "share", "SMB3_11", "encrypt", "prompt off; recurse on; mput tree; ls tree\\a\\b\\*", work);
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        for (var i = 0; i < 40; i++)
            Assert.Equal($"content {i}", File.ReadAllText(h.At(Path.Combine("tree", i % 2 == 0 ? "a" : "a/b", $"f{i}.txt"))));
        Assert.Contains("f39.txt", r.Output);
        r = await Smbclient.RunAsync(h.Port, "share", "SMB3_11", "sign", "deltree tree");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.False(Directory.Exists(h.At("tree")));
    }
}
