using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Clients;

/// <summary>Samba's smbclient against the server, in every dialect, signed and encrypted.</summary>
public sealed class SmbclientSmokeTests
{
    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var d in new[] { "SMB2_02", "SMB2_10", "SMB3_00", "SMB3_02", "SMB3_11" })
        {
            data.Add(d, "sign");
            if (d.StartsWith("SMB3", StringComparison.Ordinal))
                data.Add(d, "encrypt");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task LsPutGetMkdirRenameRm(string dialect, string protection)
    {
        await using var h = new SmbHarness();
        var work = Path.Combine(h.Base, "client");
        Directory.CreateDirectory(work);
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);
        await File.WriteAllBytesAsync(Path.Combine(work, "f"), payload);
        File.WriteAllText(h.At("existing.txt"), "hello");

        var r = await Smbclient.RunAsync(h.Port, "share", dialect, protection,
            "ls; mkdir d; put f d\\f; get d\\f g; rename d\\f d\\h; ls d\\*; del existing.txt; ls", work);
        Assert.True(r.ExitCode == 0, r.All + string.Join("\n", h.Logs));
        Assert.Contains("existing.txt", r.Output);
        Assert.Equal(payload, await File.ReadAllBytesAsync(Path.Combine(work, "g")));
        Assert.Equal(payload, await File.ReadAllBytesAsync(h.At("d/h")));
        Assert.False(File.Exists(h.At("d/f")));
        Assert.False(File.Exists(h.At("existing.txt")));

        r = await Smbclient.RunAsync(h.Port, "share", dialect, protection, "del d\\h; rmdir d; ls", work);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.False(Directory.Exists(h.At("d")));
    }
}
