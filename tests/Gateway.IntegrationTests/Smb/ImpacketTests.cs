using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// impacket's SMBConnection (python3-impacket, an SMB client written independently of Samba's) against the
/// SMB server: Smb/impacket_smoke.py does login, share list, mkdir, 10 MiB put/get with sha256, rename,
/// listPath, delete and a refused wrong password, in one dialect per case.
/// </summary>
public sealed class ImpacketTests(SmbTargetFixture fixture) : IClassFixture<SmbTargetFixture>
{
    [Theory]
    [InlineData("2.0.2")]
    [InlineData("2.1")]
    [InlineData("3.0")]
    public async Task Impacket_does_files_and_directories(string dialect)
    {
        var target = fixture.Target;
        var script = Path.Combine(KernelClient.RepoRoot, "tests", "Gateway.IntegrationTests", "Smb", "impacket_smoke.py");
        // Debian's python3 has impacket; a python3 earlier on PATH (pyenv) may not
        using var p = ChildProcess.Start("/usr/bin/python3", script, target.Host, target.Port.ToString(), target.Share,
            target.User, target.Password, dialect, fixture.ClientDir);
        var code = await p.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"impacket_smoke.py {dialect} exited {code}:\n{p.Stdout}{p.Stderr}\nserver:\n{SmbClientTool.Tail(target.Log)}");
        Assert.Contains("IMPACKET-SMOKE: OK", p.Stdout);
        Assert.False(Directory.Exists(Path.Combine(target.SharePath, "imp_" + dialect.Replace(".", ""))));
    }
}
