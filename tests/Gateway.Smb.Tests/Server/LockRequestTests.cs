using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Server;

/// <summary>LOCK request semantics that smbtorture smb2.lock checks, through a real server.</summary>
public sealed class LockRequestTests
{
    private const uint Shared = 1, Exclusive = 2, Unlock = 4, FailImmediately = 0x10;
    private const uint Pending = 0x103, InvalidParameter = 0xC000000D, RangeNotLocked = 0xC000007E,
        FileLockConflict = 0xC0000054;

    [Fact]
    public async Task UnlockElementsAreCarriedOutInOrderAndAnInvalidOneFailsWhenReached()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("v.bin"), new byte[100]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, f, _) = await c.CreateAsync(t, "v.bin", disposition: 1);

        // The first unlock finds nothing: that is the answer, before the invalid second element.
        Assert.Equal(RangeNotLocked, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (50, 1, Unlock), (50, 1, 0)), t)).Status);

        // The first unlock happens, then the second element is found invalid.
        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (50, 1, Shared | FailImmediately)), t)).Status);
        Assert.Equal(InvalidParameter, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (50, 1, Unlock), (50, 1, 0)), t)).Status);
        Assert.Equal(RangeNotLocked, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (50, 1, Unlock)), t)).Status);

        // UNLOCK combined with another flag is invalid as a first element.
        Assert.Equal(InvalidParameter, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (50, 1, Unlock | FailImmediately)), t)).Status);
    }

    [Fact]
    public async Task SharedLockStacksOnOwnExclusiveAndBlocksOwnWrite()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("s.bin"), new byte[100]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, f, _) = await c.CreateAsync(t, "s.bin", disposition: 1);

        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (0, 10, Exclusive | FailImmediately)), t)).Status);
        Assert.Equal(0u, (await c.WriteAsync(t, f, 0, [1])).Status); // own exclusive: writes go through
        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (0, 10, Shared | FailImmediately)), t)).Status);
        Assert.Equal(FileLockConflict, (await c.WriteAsync(t, f, 0, [2])).Status); // own shared: read-only range
        Assert.Equal(0u, (await c.ReadAsync(t, f, 0, 10)).Status);

        // Unlocking takes the exclusive one first; the shared one still keeps the range read-only.
        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (0, 10, Unlock)), t)).Status);
        Assert.Equal(FileLockConflict, (await c.WriteAsync(t, f, 0, [3])).Status);
        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (0, 10, Unlock)), t)).Status);
        Assert.Equal(0u, (await c.WriteAsync(t, f, 0, [4])).Status);
    }

    [Fact]
    public async Task PendingLockWhoseHandleClosesEndsRangeNotLocked()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("p.bin"), new byte[100]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, first, _) = await c.CreateAsync(t, "p.bin", disposition: 1);
        var (_, second, _) = await c.CreateAsync(t, "p.bin", disposition: 1);

        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(first, (100, 10, Exclusive)), t)).Status);
        var id = await c.SendAsync(0x0A, SmbTestClient.LockBody(second, (100, 10, Exclusive)), t);
        Assert.Equal(Pending, (await c.ReceiveAsync(id, returnPending: true)).Status);

        Assert.Equal(0u, await c.CloseAsync(t, second));
        Assert.Equal(RangeNotLocked, (await c.ReceiveAsync(id)).Status);
    }
}
