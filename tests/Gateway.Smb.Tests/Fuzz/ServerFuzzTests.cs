using System.Buffers.Binary;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Fuzz;

/// <summary>
/// Hostile input: the server never crashes, the bad connection gets an error or is dropped, and a
/// fresh client afterwards still works.
/// </summary>
public sealed class ServerFuzzTests
{
    [Fact]
    public async Task ReusedMessageIdDropsTheConnection()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var id = c.NextMessageId;
        await c.RequestAsync(0x0D, [4, 0, 0, 0]);
        c.NextMessageId = id;
        await c.SendAsync(0x0D, [4, 0, 0, 0]);
        Assert.True(await c.IsClosedByServerAsync());
        await StillServes(h);
    }

    [Fact]
    public async Task MessageIdOutsideTheWindowDropsTheConnection()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        c.NextMessageId += 100_000;
        await c.SendAsync(0x0D, [4, 0, 0, 0]);
        Assert.True(await c.IsClosedByServerAsync());
        await StillServes(h);
    }

    [Fact]
    public async Task CreditsAreGrantedUpToTheWindow()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var message = SmbTestClient.Concat(c.BuildHeader(0x0D, c.NextMessageId++, 0, 1, 60000), [4, 0, 0, 0]);
        c.Signer!.Sign(message);
        await c.SendRawAsync(message);
        var r = await c.ReceiveAsync();
        Assert.InRange(r.Credits, 1, 8192);
        // A multi-credit request inside the window is fine.
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, f, _) = await c.CreateAsync(t, "big.bin", disposition: 2);
        var data = new byte[300_000];
        Random.Shared.NextBytes(data);
        Assert.Equal(0u, (await c.WriteAsync(t, f, 0, data)).Status);
        // ...but a large write with too small a CreditCharge is refused.
        var body = SmbTestClient.WriteBody(f, 0, data);
        Assert.Equal(0xC000000Du, (await c.RequestAsync(9, body, t, creditCharge: 1)).Status);
    }

    [Fact]
    public async Task OversizedFrameDropsTheConnection()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.ConnectAsync(h.Port);
        await c.SendRawAsync(new byte[] { 0xFE, (byte)'S', (byte)'M', (byte)'B' }); // too short: dropped
        Assert.True(await c.IsClosedByServerAsync());
        await using var d = await SmbTestClient.ConnectAsync(h.Port);
        // A length prefix of 16 MiB - 1 (beyond MaxIo + headroom) is refused before it is buffered.
        var frame = new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFE, (byte)'S', (byte)'M', (byte)'B' };
        await d.SendUnframedAsync(frame);
        Assert.True(await d.IsClosedByServerAsync());
        await StillServes(h);
    }

    [Fact]
    public async Task BadNextCommandDropsTheConnection()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var m = SmbTestClient.Concat(c.BuildHeader(0x0D, c.NextMessageId++, 0), [4, 0, 0, 0, 0, 0, 0, 0]);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(20), 60); // not 8-aligned, < 64
        await c.SendRawAsync(m);
        Assert.True(await c.IsClosedByServerAsync());
        await StillServes(h);
    }

    [Fact]
    public async Task RandomAndMutatedMessagesNeverCrashTheServer()
    {
        await using var h = new SmbHarness();
        var rng = new Random(12345);
        // Valid messages to mutate: a logged-on client's CREATE/WRITE/READ/QUERY bodies.
        await using (var seed = await SmbTestClient.LoggedOnAsync(h.Port))
        {
            var (_, t) = await seed.TreeConnectAsync("share");
            var (_, f, _) = await seed.CreateAsync(t, "seed.txt", disposition: 2);
            await seed.WriteAsync(t, f, 0, "seed"u8.ToArray());
        }
        for (var round = 0; round < 60; round++)
        {
            await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
            c.Sign = false;
            var (_, t) = await c.TreeConnectAsync("share");
            var bodies = new[]
            {
                SmbTestClient.CreateBody("seed.txt", SmbTestClient.GenericRead, 7, 1, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]),
                SmbTestClient.WriteBody(new byte[16], 0, new byte[40]),
                SmbTestClient.ReadBody(new byte[16], 0, 100),
                Server.FileSemanticsTests.QueryDirectoryBody(new byte[16], 37, "*", 4096),
                Server.FileSemanticsTests.SetInfoBody(new byte[16], 10, Server.FileSemanticsTests.RenameInfo("x", true)),
                Server.AsyncCommandTests.NotifyBody(new byte[16], 3, 100),
                SmbTestClient.LockBody(new byte[16], (0, 1, 2), (5, 5, 0x14)),
                new byte[57], new byte[4], [],
            };
            ushort[] commands = [5, 9, 8, 0x0E, 0x11, 0x0F, 0x0A, 0x0B, 0x10, 0x0D, 0x03, 0x01, 0x00, 0x13, 0xFFFF];
            for (var i = 0; i < 8; i++)
            {
                var body = (byte[])bodies[rng.Next(bodies.Length)].Clone();
                for (var k = 0; k < 1 + rng.Next(6) && body.Length > 0; k++)
                    body[rng.Next(body.Length)] = (byte)rng.Next(256);
                if (rng.Next(4) == 0 && body.Length > 0)
                    body = body[..rng.Next(body.Length)];
                var header = c.BuildHeader(commands[rng.Next(commands.Length)], c.NextMessageId++, t, 1, (ushort)rng.Next(3));
                if (rng.Next(5) == 0)
                    header[rng.Next(64)] = (byte)rng.Next(256);
                var message = SmbTestClient.Concat(header, body);
                if (!await TrySend(c, message))
                    break;
            }
            if (rng.Next(3) == 0)
            {
                var garbage = new byte[rng.Next(1, 300)];
                rng.NextBytes(garbage);
                await TrySend(c, garbage);
            }
            // Drain whatever comes back until the server answers everything or drops us.
            try
            {
                for (var i = 0; i < 20; i++)
                {
                    if (await c.ReceiveRawAsync(TimeSpan.FromMilliseconds(300)) is null)
                        break;
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        await StillServes(h);
        Assert.DoesNotContain(h.Logs, l => l.Contains("unexpected error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GarbageAfterNegotiateIsDropped()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.ConnectAsync(h.Port);
        await c.NegotiateAsync(0x0311);
        var garbage = new byte[200];
        new Random(3).NextBytes(garbage);
        await c.SendRawAsync(garbage);
        Assert.True(await c.IsClosedByServerAsync());
        await StillServes(h);
    }

    // The server may drop the connection at any point: that is one of the allowed outcomes.
    private static async Task<bool> TrySend(SmbTestClient c, byte[] message)
    {
        try
        {
            await c.SendRawAsync(message);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task StillServes(SmbHarness h)
    {
        await using var fresh = await SmbTestClient.LoggedOnAsync(h.Port);
        var (s, t) = await fresh.TreeConnectAsync("share");
        Assert.Equal(0u, s);
        var (cs, f, _) = await fresh.CreateAsync(t, "after.txt", disposition: 5);
        Assert.Equal(0u, cs);
        Assert.Equal(0u, await fresh.CloseAsync(t, f));
    }
}
