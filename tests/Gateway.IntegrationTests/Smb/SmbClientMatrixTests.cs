using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// smbclient in every dialect (SMB 2.0.2 to 3.1.1) with signing, and with encryption where the dialect has
/// it (3.0 and later): directory and file operations, a 100 MiB put/get with identical sha256, and proof
/// from smbclient's own debug output that it negotiated that dialect and really signed or encrypted.
/// Runs against the Gateway (SMB_TEST_TARGET=samba: against Samba's smbd, the reference).
/// </summary>
public sealed partial class SmbClientMatrixTests(SmbTargetFixture fixture) : IClassFixture<SmbTargetFixture>
{
    private const int BigSize = 100 << 20;
    private static readonly Lock BigLock = new();
    private ISmbTarget Target => fixture.Target;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var d in new[] { "SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11" })
        {
            data.Add(d, "sign");
            if (d.StartsWith("SMB3", StringComparison.Ordinal)) data.Add(d, "encrypt");
        }
        return data;
    }

    /// <summary>100 MiB from a seeded RNG, written once per fixture on the client side; returns its path and sha256.</summary>
    private (string Path, string Sha) BigFile()
    {
        var path = Path.Combine(fixture.ClientDir, "big.src");
        lock (BigLock)
        {
            if (!File.Exists(path))
            {
                var data = new byte[BigSize];
                new Random(20261124).NextBytes(data);
                File.WriteAllBytes(path + ".tmp", data);
                File.Move(path + ".tmp", path);
            }
        }
        return (path, Sha256(path));
    }

    private static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Files_and_directories_round_trip(string dialect, string protection)
    {
        var (src, sha) = BigFile();
        var dir = $"m_{dialect}_{protection}";
        var work = Path.Combine(fixture.ClientDir, dir);
        Directory.CreateDirectory(work);
        File.Copy(src, Path.Combine(work, "big.bin"));

        // mkdir, put, ls
        await SmbClientTool.MustRunAsync(Target, $"mkdir {dir}; mkdir {dir}\\sub; put big.bin {dir}\\big.bin", dialect, protection, work);
        Assert.Equal(sha, Sha256(Path.Combine(Target.SharePath, dir, "big.bin")));
        var ls = await SmbClientTool.MustRunAsync(Target, $"ls {dir}\\*", dialect, protection);
        Assert.Matches(@"\bsub\s+D\b", ls.Stdout);
        Assert.Matches($@"\bbig\.bin\s+A?\s+{BigSize}\b", ls.Stdout);

        // get back, byte for byte
        await SmbClientTool.MustRunAsync(Target, $"get {dir}\\big.bin back.bin", dialect, protection, work);
        Assert.Equal(sha, Sha256(Path.Combine(work, "back.bin")));

        // rename, then rm and rmdir
        await SmbClientTool.MustRunAsync(Target, $"rename {dir}\\big.bin {dir}\\sub\\moved.bin", dialect, protection);
        Assert.False(File.Exists(Path.Combine(Target.SharePath, dir, "big.bin")));
        Assert.Equal(BigSize, new FileInfo(Path.Combine(Target.SharePath, dir, "sub", "moved.bin")).Length);
        await SmbClientTool.MustRunAsync(Target, $"rm {dir}\\sub\\moved.bin; rmdir {dir}\\sub; rmdir {dir}", dialect, protection);
        Assert.False(Directory.Exists(Path.Combine(Target.SharePath, dir)));

        // a removed name is gone for the client too
        var gone = await SmbClientTool.RunAsync(Target, $"ls {dir}\\*", dialect, protection);
        Assert.Contains("NT_STATUS_OBJECT_NAME_NOT_FOUND", gone.Output);

        Directory.Delete(work, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Smbclient_really_negotiates_the_dialect_and_protection(string dialect, string protection)
    {
        // -d 10: smbclient logs the negotiated dialect and one line per signed or encrypted message
        // (at this level smbclient also logs harmless NT_STATUS lines, e.g. that Kerberos is not used for an IP address)
        var r = await SmbClientTool.RunAsync(Target, "ls; ls; ls", dialect, protection, extra: ["-d", "10"]);
        Assert.True(r.ExitCode == 0, $"smbclient -d 10 exited {r.ExitCode}:\n{SmbClientTool.Tail(r.Output)}\nserver:\n{SmbClientTool.Tail(Target.Log)}");
        Assert.Contains($"negotiated dialect[{dialect}] against server[{Target.Host}]", r.Output);
        if (protection == "encrypt")
        {
            Assert.True(Count(r.Output, "smb2_signing_encrypt_pdu: Encrypted SMB2 message") >= 4, "no encrypted requests:\n" + SmbClientTool.Tail(r.Output));
            Assert.True(Count(r.Output, "smb2_signing_decrypt_pdu: Decrypted SMB2 message") >= 4, "no encrypted responses:\n" + SmbClientTool.Tail(r.Output));
        }
        else
        {
            // every request after the session setup is signed: 3 ls = at least 3 QUERY_DIRECTORY + TREE_CONNECT + CREATE/CLOSE
            var signed = SignedLine().Matches(r.Output);
            Assert.True(signed.Count >= 6, $"only {signed.Count} signed messages:\n" + SmbClientTool.Tail(r.Output));
            // SMB 2.x signs with HMAC-SHA256 (0), 3.0/3.0.2 with AES-CMAC (1), 3.1.1 with what was negotiated (GMAC or CMAC)
            var algo = int.Parse(signed[^1].Groups[1].Value);
            if (dialect.StartsWith("SMB2", StringComparison.Ordinal)) Assert.Equal(0, algo);
            else if (dialect is "SMB3_00" or "SMB3_02") Assert.Equal(1, algo);
            else Assert.True(algo is 1 or 2, $"SMB 3.1.1 signed with algorithm {algo}");
        }
    }

    [Theory]
    [InlineData("SMB2_02")]
    [InlineData("SMB2_10")]
    public async Task Encryption_is_refused_below_SMB3(string dialect)
    {
        var r = await SmbClientTool.RunAsync(Target, "ls", dialect, "encrypt");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("doesn't support SMB3 encryption", r.Output);
    }

    [Fact]
    public async Task The_share_list_has_the_share_and_IPC()
    {
        var r = await SmbClientTool.RunRawAsync(["-L", $"//{Target.Host}", "-p", Target.Port.ToString(), "-U", $"{Target.User}%{Target.Password}"]);
        Assert.True(r.ExitCode == 0, $"smbclient -L exited {r.ExitCode}: {r.Output}\nserver:\n{SmbClientTool.Tail(Target.Log)}");
        Assert.Matches($@"(?m)^\s+{Regex.Escape(Target.Share)}\s+Disk\b", r.Stdout);
        Assert.Matches(@"(?m)^\s+IPC\$\s+IPC\b", r.Stdout);
    }

    [Fact]
    public async Task A_wrong_password_is_a_logon_failure()
    {
        var r = await SmbClientTool.RunAsync(Target, "ls", password: Target.Password + "x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_LOGON_FAILURE", r.Output);
    }

    [Fact]
    public async Task An_unknown_user_is_a_logon_failure()
    {
        var r = await SmbClientTool.RunRawAsync([$"//{Target.Host}/{Target.Share}", "-p", Target.Port.ToString(), "-U", "nosuchuser%whatever", "-c", "ls"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_LOGON_FAILURE", r.Output);
    }

    [Fact]
    public async Task A_share_that_does_not_exist_is_refused()
    {
        var r = await SmbClientTool.RunRawAsync([$"//{Target.Host}/no-such-share", "-p", Target.Port.ToString(), "-U", $"{Target.User}%{Target.Password}", "-c", "ls"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("NT_STATUS_BAD_NETWORK_NAME", r.Output);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    [GeneratedRegex(@"signed SMB2 message \(sign_algo_id=(\d)\)")]
    private static partial Regex SignedLine();
}
