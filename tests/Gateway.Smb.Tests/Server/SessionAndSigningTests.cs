using System.Buffers.Binary;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Server;

public sealed class SessionAndSigningTests
{
    [Theory]
    [InlineData((ushort)0x0202)]
    [InlineData((ushort)0x0210)]
    [InlineData((ushort)0x0300)]
    [InlineData((ushort)0x0302)]
    [InlineData((ushort)0x0311)]
    public async Task EveryDialectLogsOnSignsAndWrites(ushort dialect)
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, dialect);
        Assert.Equal(dialect, c.Dialect);
        var (status, tree) = await c.TreeConnectAsync("share");
        Assert.Equal(0u, status);
        var (cs, fid, _) = await c.CreateAsync(tree, "a.txt", disposition: 2);
        Assert.Equal(0u, cs);
        Assert.Equal(0u, (await c.WriteAsync(tree, fid, 0, "hello"u8.ToArray())).Status);
        var (rs, data) = await c.ReadAsync(tree, fid, 0, 100);
        Assert.Equal(0u, rs);
        Assert.Equal("hello"u8.ToArray(), data);
        Assert.Equal(0u, await c.CloseAsync(tree, fid));
        Assert.Equal("hello", File.ReadAllText(h.At("a.txt")));
    }

    [Fact]
    public async Task NegotiateResponseHasBufferAt128AndSigningRequired()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.ConnectAsync(h.Port);
        var r = await c.NegotiateAsync(0x0202, 0x0210, 0x0300);
        Assert.Equal(0u, r.Status);
        Assert.Equal(0x0300, BinaryPrimitives.ReadUInt16LittleEndian(r.Body[4..]));
        Assert.Equal(128, BinaryPrimitives.ReadUInt16LittleEndian(r.Body[56..]));
        Assert.True(BinaryPrimitives.ReadUInt16LittleEndian(r.Body[58..]) > 0);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(r.Body[2..]));
        // CAP_LARGE_MTU | CAP_ENCRYPTION (the client offered encryption), no DFS, no leasing.
        Assert.Equal(0x44u, BinaryPrimitives.ReadUInt32LittleEndian(r.Body[24..]));
    }

    [Fact]
    public async Task Smb311NegotiatesGcmAndGmac()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0311, encrypt: true);
        Assert.Equal(Gateway.Smb.Security.CipherId.Aes128Gcm, c.Cipher);
        Assert.Equal(Gateway.Smb.Security.SigningAlgorithm.AesGmac, c.SigningAlgorithm);
        var (status, tree) = await c.TreeConnectAsync("secret");
        Assert.Equal(0u, status);
        var (cs, fid, _) = await c.CreateAsync(tree, "enc.txt", disposition: 2);
        Assert.Equal(0u, cs);
        Assert.Equal(0u, await c.CloseAsync(tree, fid));
        Assert.True(File.Exists(Path.Combine(h.SecretRoot, "enc.txt")));
    }

    [Fact]
    public async Task UnencryptedRequestOnEncryptedShareIsDenied()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0311);
        var (status, tree) = await c.TreeConnectAsync("secret");
        Assert.Equal(0u, status);
        var (cs, _, _) = await c.CreateAsync(tree, "plain.txt", disposition: 2);
        Assert.Equal(0xC0000022u, cs);
        Assert.False(File.Exists(Path.Combine(h.SecretRoot, "plain.txt")));
    }

    [Fact]
    public async Task Smb2ClientCannotReachEncryptedShare()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0210);
        Assert.Equal(0xC0000022u, (await c.TreeConnectAsync("secret")).Status);
    }

    [Fact]
    public async Task BadSignatureIsDeniedAndNotExecuted()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0311);
        var (_, tree) = await c.TreeConnectAsync("share");
        var message = SmbTestClient.Concat(c.BuildHeader(5, c.NextMessageId++, tree),
            SmbTestClient.CreateBody("forged.txt", SmbTestClient.GenericAll, 7, 2));
        c.Signer!.Sign(message);
        message[63] ^= 0x55; // corrupt the signature
        await c.SendRawAsync(message);
        var r = await c.ReceiveAsync();
        Assert.Equal(0xC0000022u, r.Status);
        Assert.False(File.Exists(h.At("forged.txt")));

        // Unsigned on a session that requires signing: denied too.
        c.Sign = false;
        var (cs, _, _) = await c.CreateAsync(tree, "unsigned.txt", disposition: 2);
        Assert.Equal(0xC0000022u, cs);
        Assert.False(File.Exists(h.At("unsigned.txt")));
    }

    [Fact]
    public async Task ResponsesAreSigned()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0302);
        var id = await c.SendAsync(3, TreeConnectBody("share"));
        var r = await c.ReceiveAsync(id);
        Assert.True(r.IsSigned);
        Assert.True(c.Signer!.Verify(r.Bytes));
    }

    [Fact]
    public async Task WrongPasswordIsLogonFailure()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.ConnectAsync(h.Port);
        await c.NegotiateAsync(0x0311);
        Assert.Equal(0xC000006Du, await c.SessionSetupAsync("user", "nope"));
        Assert.Equal(0xC000006Du, await c.SessionSetupAsync("nobody", "pass"));
    }

    [Fact]
    public async Task FileIdOfAnotherSessionIsFileClosed()
    {
        await using var h = new SmbHarness();
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, fid, _) = await a.CreateAsync(ta, "mine.txt", disposition: 2);
        var (status, _) = await b.ReadAsync(tb, fid, 0, 10);
        Assert.Equal(0xC0000128u, status);
    }

    [Fact]
    public async Task LogoffReleasesOpens()
    {
        await using var h = new SmbHarness();
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (s1, _, _) = await a.CreateAsync(ta, "held.txt", share: 0, disposition: 2);
        Assert.Equal(0u, s1);
        var logoff = await a.RequestAsync(2, [4, 0, 0, 0]);
        Assert.Equal(0u, logoff.Status);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, tb) = await b.TreeConnectAsync("share");
        var (s2, _, _) = await b.CreateAsync(tb, "held.txt", disposition: 1);
        Assert.Equal(0u, s2);
    }

    [Fact]
    public async Task SessionBindingIsRefused()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port, 0x0311);
        var body = new byte[25];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 25);
        body[2] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), 64 + 24);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), 1);
        var r = await c.RequestAsync(1, body);
        Assert.Equal(0xC00000D0u, r.Status);
    }

    [Fact]
    public async Task Smb1NegotiateUpgradesToWildcardDialect()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.ConnectAsync(h.Port);
        var dialects = "\u0002NT LM 0.12\0\u0002SMB 2.002\0\u0002SMB 2.???\0"u8.ToArray();
        var smb1 = new byte[35 + dialects.Length];
        smb1[0] = 0xFF; smb1[1] = (byte)'S'; smb1[2] = (byte)'M'; smb1[3] = (byte)'B'; smb1[4] = 0x72;
        BinaryPrimitives.WriteUInt16LittleEndian(smb1.AsSpan(33), (ushort)dialects.Length);
        dialects.CopyTo(smb1, 35);
        await c.SendRawAsync(smb1);
        var r = new SmbMessage((await c.ReceiveRawAsync())!);
        Assert.Equal(0u, r.Status);
        Assert.Equal(0x02FF, BinaryPrimitives.ReadUInt16LittleEndian(r.Body[4..]));
        c.NextMessageId = 1;
        var n = await c.NegotiateAsync(0x0202, 0x0210, 0x0300, 0x0302, 0x0311);
        Assert.Equal(0u, n.Status);
        Assert.Equal((ushort)0x0311, c.Dialect);
        Assert.Equal(0u, await c.SessionSetupAsync("user", "pass"));
    }

    internal static byte[] TreeConnectBody(string share)
    {
        var path = System.Text.Encoding.Unicode.GetBytes($@"\\127.0.0.1\{share}");
        var body = new byte[8 + path.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 9);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 64 + 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), (ushort)path.Length);
        path.CopyTo(body, 8);
        return body;
    }
}
