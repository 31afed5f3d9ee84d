using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Clients;

public sealed class SmbclientListingTests
{
    [Theory]
    [InlineData("SMB2_02")]
    [InlineData("SMB3_00")]
    [InlineData("SMB3_11")]
    public async Task ListsSharesThroughSrvsvc(string dialect)
    {
        await using var h = new SmbHarness();
        var r = await Smbclient.RunRawAsync(["-L", "//127.0.0.1", "-p", h.Port.ToString(), "-U", "user%pass", "-m", dialect]);
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        Assert.Contains("share", r.Output);
        Assert.Contains("secret", r.Output);
        Assert.Contains("IPC$", r.Output);
    }

    [Fact]
    public async Task WrongPasswordIsRefused()
    {
        await using var h = new SmbHarness();
        var r = await Smbclient.RunAsync(h.Port, "share", "SMB3_11", "sign", "ls", user: "user%wrong");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_LOGON_FAILURE", r.All);
    }

    [Fact]
    public async Task AnonymousIsRefusedWithoutGuest()
    {
        await using var h = new SmbHarness();
        var r = await Smbclient.RunRawAsync(["-L", "//127.0.0.1", "-p", h.Port.ToString(), "-N"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Matches("NT_STATUS_(LOGON_FAILURE|ACCESS_DENIED)", r.All);
    }

    [Fact]
    public async Task GuestMayListSharesButNotOpenDiskShares()
    {
        await using var h = new SmbHarness(allowGuest: true);
        var r = await Smbclient.RunRawAsync(["-L", "//127.0.0.1", "-p", h.Port.ToString(), "-N", "-m", "SMB3_11"]);
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        Assert.Contains("share", r.Output);
        r = await Smbclient.RunRawAsync(["//127.0.0.1/share", "-p", h.Port.ToString(), "-N", "-m", "SMB3_11", "-c", "ls"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_ACCESS_DENIED", r.All);
    }

    [Fact]
    public async Task UnknownShareIsBadNetworkName()
    {
        await using var h = new SmbHarness();
        var r = await Smbclient.RunAsync(h.Port, "nosuch", "SMB3_11", "sign", "ls");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_BAD_NETWORK_NAME", r.All);
    }

    [Theory]
    [InlineData("SMB2_10", "sign")]
    [InlineData("SMB3_02", "sign")]
    public async Task EncryptedShareRefusesClientsThatDoNotEncrypt(string dialect, string protection)
    {
        await using var h = new SmbHarness();
        var r = await Smbclient.RunAsync(h.Port, "secret", dialect, protection, "ls");
        if (dialect == "SMB2_10")
        {
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("NT_STATUS_ACCESS_DENIED", r.All);
        }
        else
        {
            // SMB 3 clients see SHAREFLAG_ENCRYPT_DATA and encrypt from then on.
            Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        }
    }

    [Fact]
    public async Task EncryptedShareWorksEncrypted()
    {
        await using var h = new SmbHarness();
        File.WriteAllText(Path.Combine(h.SecretRoot, "x.txt"), "secret");
        var work = Path.Combine(h.Base, "client");
        Directory.CreateDirectory(work);
        var r = await Smbclient.RunAsync(h.Port, "secret", "SMB3_11", "encrypt", "get x.txt y.txt; allinfo x.txt", work);
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(work, "y.txt")));
        Assert.Contains("create_time", r.Output);
        Assert.Contains("stream: [::$DATA], 6 bytes", r.Output);
    }
}
