using System.Buffers.Binary;
using Gateway.Smb.Tests.Support;
using static Gateway.Smb.Tests.Server.AsyncCommandTests;

namespace Gateway.Smb.Tests.Server;

/// <summary>Related compounds as Windows and Samba run them (smbtorture smb2.compound.*).</summary>
public sealed class CompoundRulesTests
{
    private const uint AccessDenied = 0xC0000022, InternalError = 0xC00000E5;
    private const uint FsctlCreateOrGetObjectId = 0x000900C0;

    [Fact]
    public async Task AFailedMemberOtherThanCreateDoesNotFailTheRelatedOnesAfterIt()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("r.bin"), new byte[64]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var related = Related();
        var create = Member(c, 5, t, SmbTestClient.CreateBody("r.bin", SmbTestClient.GenericRead, 7, 1), 0);
        var read = Member(c, 8, t, SmbTestClient.ReadBody(related, 0, 1), 4);
        var write = Member(c, 9, t, SmbTestClient.WriteBody(related, 0, [1]), 4);
        var readAgain = Member(c, 8, t, SmbTestClient.ReadBody(related, 0, 1), 4);
        var close = Member(c, 6, t, CloseBody(related), 4);

        var replies = await SendCompound(c, create, read, write, readAgain, close);

        Assert.Equal([0u, 0u, AccessDenied, 0u, 0u], replies.Select(r => r.Status).ToArray());
    }

    [Fact]
    public async Task AMemberThatWouldGoAsyncInTheMiddleFailsAndTheRestIsAnswered()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("d"));
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var related = Related();
        var create = Member(c, 5, t, SmbTestClient.CreateBody("d", SmbTestClient.GenericRead, 7, 1, 1), 0);
        var notify = Member(c, 0x0F, t, NotifyBody(related, 0x3, 4096), 4);
        var close = Member(c, 6, t, CloseBody(related), 4);

        var replies = await SendCompound(c, create, notify, close);

        Assert.Equal([0u, InternalError, 0u], replies.Select(r => r.Status).ToArray());
    }

    [Fact]
    public async Task ObjectIdIsStableAcrossCalls()
    {
        await using var h = new SmbHarness();
        File.WriteAllText(h.At("o.txt"), "x");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, f, _) = await c.CreateAsync(t, "o.txt", SmbTestClient.GenericRead, disposition: 1);

        var first = await c.RequestAsync(0x0B, IoctlBody(f, FsctlCreateOrGetObjectId, 64), t);
        var second = await c.RequestAsync(0x0B, IoctlBody(f, FsctlCreateOrGetObjectId, 64), t);

        Assert.Equal(0u, first.Status);
        Assert.Equal(64, BinaryPrimitives.ReadInt32LittleEndian(first.Body[36..]));
        Assert.Equal(Output(first), Output(second));
        Assert.NotEqual(new byte[16], Output(first)[..16]);
        Assert.Equal(0xC0000023u, (await c.RequestAsync(0x0B, IoctlBody(f, FsctlCreateOrGetObjectId, 16), t)).Status); // BUFFER_TOO_SMALL
    }

    private static byte[] Related()
    {
        var related = new byte[16];
        related.AsSpan().Fill(0xFF);
        return related;
    }

    private static byte[] IoctlBody(byte[] fid, uint code, uint maxOutput)
    {
        var body = new byte[56];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 57);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), code);
        fid.CopyTo(body, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(24), 64 + 56);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(44), maxOutput);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(48), 1); // SMB2_0_IOCTL_IS_FSCTL
        return body;
    }

    private static byte[] Output(SmbMessage r) =>
        r.Bytes.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(r.Body[32..]), BinaryPrimitives.ReadInt32LittleEndian(r.Body[36..])).ToArray();
}
