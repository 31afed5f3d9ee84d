using System.Buffers.Binary;
using System.Text;
using Gateway.Smb.Tests.Support;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Tests.Server;

public sealed class AsyncCommandTests
{
    private const uint Pending = 0x103, LockNotGranted = 0xC0000055, Cancelled = 0xC0000120, NotifyCleanup = 0x10B,
        FileLockConflict = 0xC0000054;
    private const uint Shared = 1, Exclusive = 2, Unlock = 4, FailImmediately = 0x10;

    [Fact]
    public async Task LocksConflictBlockAndGrantOnUnlock()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("l.bin"), new byte[100]);
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, fa, _) = await a.CreateAsync(ta, "l.bin", disposition: 1);
        var (_, fb, _) = await b.CreateAsync(tb, "l.bin", disposition: 1);

        Assert.Equal(0u, (await a.RequestAsync(0x0A, SmbTestClient.LockBody(fa, (0, 10, Exclusive | FailImmediately)), ta)).Status);
        Assert.Equal(LockNotGranted, (await b.RequestAsync(0x0A, SmbTestClient.LockBody(fb, (5, 10, Shared | FailImmediately)), tb)).Status);
        // Mandatory for other opens' I/O.
        Assert.Equal(FileLockConflict, (await b.WriteAsync(tb, fb, 0, [1, 2])).Status);

        var id = await b.SendAsync(0x0A, SmbTestClient.LockBody(fb, (0, 10, Exclusive)), tb);
        var interim = await b.ReceiveAsync(id, returnPending: true);
        Assert.Equal(Pending, interim.Status);
        Assert.NotEqual(0u, interim.Flags & 2);
        Assert.Equal(0u, (await a.RequestAsync(0x0A, SmbTestClient.LockBody(fa, (0, 10, Unlock)), ta)).Status);
        var final = await b.ReceiveAsync(id);
        Assert.Equal(0u, final.Status);
        Assert.Equal(interim.AsyncId, final.AsyncId);
    }

    [Fact]
    public async Task CancelEndsABlockedLock()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("c.bin"), new byte[10]);
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, fa, _) = await a.CreateAsync(ta, "c.bin", disposition: 1);
        var (_, fb, _) = await b.CreateAsync(tb, "c.bin", disposition: 1);
        await a.RequestAsync(0x0A, SmbTestClient.LockBody(fa, (0, 1, Exclusive)), ta);
        var id = await b.SendAsync(0x0A, SmbTestClient.LockBody(fb, (0, 1, Exclusive)), tb);
        var interim = await b.ReceiveAsync(id, returnPending: true);
        Assert.Equal(Pending, interim.Status);
        // Async CANCEL: AsyncId in the header, no credit, no response of its own.
        var cancel = b.BuildHeader(0x0C, 0, 0, 0, 0, flags: 2);
        BinaryPrimitives.WriteUInt64LittleEndian(cancel.AsSpan(32), interim.AsyncId);
        await b.SendMessageAsync(SmbTestClient.Concat(cancel, [4, 0, 0, 0]));
        var final = await b.ReceiveAsync(id);
        Assert.Equal(Cancelled, final.Status);
        // The lock was not granted.
        Assert.Equal(LockNotGranted, (await b.RequestAsync(0x0A, SmbTestClient.LockBody(fb, (0, 1, Exclusive | FailImmediately)), tb)).Status);
    }

    [Fact]
    public async Task SmbLocksConflictWithPosixLocksOfOtherProtocols()
    {
        await using var h = new SmbHarness();
        File.WriteAllBytes(h.At("x.bin"), new byte[10]);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, f, _) = await c.CreateAsync(t, "x.bin", disposition: 1);
        var node = h.Vfs.LookupPath(Gateway.Vfs.Principal.Root, "x.bin").Value;
        var nlm = new LockOwner(LockProtocol.Nlm, new ClientKey(1), 1);
        Assert.True(h.Vfs.Locks.TryLock(node, nlm, new ByteRange(0, 5), LockKind.Exclusive, LockFlavor.Posix).Granted);
        Assert.Equal(LockNotGranted, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (2, 2, Shared | FailImmediately)), t)).Status);
        h.Vfs.Locks.ReleaseOwner(nlm);
        Assert.Equal(0u, (await c.RequestAsync(0x0A, SmbTestClient.LockBody(f, (2, 2, Shared | FailImmediately)), t)).Status);
        // Closing the open drops its locks.
        await c.CloseAsync(t, f);
        Assert.Empty(h.Vfs.Locks.GetLocks(node));
    }

    [Fact]
    public async Task ChangeNotifyReportsCreatesAndCleanupOnClose()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("w"));
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, dir, _) = await a.CreateAsync(ta, "w", SmbTestClient.GenericRead, disposition: 1, options: 1);
        var id = await a.SendAsync(0x0F, NotifyBody(dir, 0x3, 4096), ta);
        Assert.Equal(Pending, (await a.ReceiveAsync(id, returnPending: true)).Status);
        var (_, nf, _) = await b.CreateAsync(tb, "w\\new.txt", disposition: 2);
        var r = await a.ReceiveAsync(id);
        Assert.Equal(0u, r.Status);
        var buf = r.Bytes.AsSpan(BinaryPrimitives.ReadUInt16LittleEndian(r.Body[2..]), BinaryPrimitives.ReadInt32LittleEndian(r.Body[4..]));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(buf[4..])); // FILE_ACTION_ADDED
        Assert.Equal("new.txt", Encoding.Unicode.GetString(buf.Slice(12, BinaryPrimitives.ReadInt32LittleEndian(buf[8..]))));
        await b.CloseAsync(tb, nf);

        var id2 = await a.SendAsync(0x0F, NotifyBody(dir, 0x3, 4096), ta);
        var interim = await a.ReceiveAsync(id2, returnPending: true);
        Assert.Equal(Pending, interim.Status);
        var closeId = await a.SendAsync(6, CloseBody(dir), ta);
        var got = new Dictionary<ulong, uint>();
        while (got.Count < 2)
        {
            var m = await a.ReceiveAsync();
            got[m.MessageId] = m.Status;
        }
        Assert.Equal(NotifyCleanup, got[id2]);
        Assert.Equal(0u, got[closeId]);
    }

    [Fact]
    public async Task RelatedCompoundCreateWriteClose()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var related = new byte[16];
        related.AsSpan().Fill(0xFF);
        var create = Member(c, 5, t, SmbTestClient.CreateBody("comp.txt", SmbTestClient.GenericRead | SmbTestClient.GenericWrite, 7, 2), 0);
        var write = Member(c, 9, t, SmbTestClient.WriteBody(related, 0, "compound"u8.ToArray()), 4);
        var close = Member(c, 6, t, CloseBody(related), 4);
        var replies = await SendCompound(c, create, write, close);
        Assert.Equal([0u, 0u, 0u], replies.Select(r => r.Status).ToArray());
        Assert.Equal("compound", File.ReadAllText(h.At("comp.txt")));

        // A failed CREATE cascades its status to the related members after it.
        var create2 = Member(c, 5, t, SmbTestClient.CreateBody("missing\\x.txt", SmbTestClient.GenericRead, 7, 1), 0);
        var read2 = Member(c, 8, t, SmbTestClient.ReadBody(related, 0, 10), 4);
        replies = await SendCompound(c, create2, read2);
        Assert.Equal(0xC000003Au, replies[0].Status);
        Assert.Equal(0xC000003Au, replies[1].Status);
    }

    [Fact]
    public async Task AsyncMemberOfACompoundFlushesEarlierResponsesWithItsInterim()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("cw"));
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var related = new byte[16];
        related.AsSpan().Fill(0xFF);
        var create = Member(c, 5, t, SmbTestClient.CreateBody("cw", SmbTestClient.GenericRead, 7, 1, 1), 0);
        var notifyId = c.NextMessageId;
        var notify = Member(c, 0x0F, t, NotifyBody(related, 0x3, 4096), 4);
        var replies = await SendCompound(c, create, notify);
        Assert.Equal(0u, replies[0].Status);
        Assert.Equal(Pending, replies[1].Status);
        File.WriteAllText(h.At("cw/late.txt"), "x"); // not through the Vfs: no event without the watcher
        var fid = replies[0].Body.Slice(64, 16).ToArray();
        await c.CloseAsync(t, fid);
        var final = await c.ReceiveAsync(notifyId);
        Assert.Equal(NotifyCleanup, final.Status);
    }

    [Fact]
    public async Task DeletingAWatchedDirectoryEndsItsNotifyWithDeletePending()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("doomed"));
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, dir, _) = await a.CreateAsync(ta, "doomed", SmbTestClient.GenericRead, disposition: 1, options: 1);
        var id = await a.SendAsync(0x0F, NotifyBody(dir, 0x3, 1000), ta);
        Assert.Equal(Pending, (await a.ReceiveAsync(id, returnPending: true)).Status);
        var (s, other, _) = await b.CreateAsync(tb, "doomed", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1, options: 1 | 0x1000);
        Assert.Equal(0u, s);
        Assert.Equal(0u, await b.CloseAsync(tb, other));
        Assert.Equal(0xC0000056u, (await a.ReceiveAsync(id)).Status);
        Assert.True(Directory.Exists(h.At("doomed"))); // a's handle still open
        await a.CloseAsync(ta, dir);
        Assert.False(Directory.Exists(h.At("doomed")));
    }

    [Fact]
    public async Task RenameUnderAParentOpenWithDeleteAccessIsASharingViolation()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("p"));
        File.WriteAllText(h.At("p/f.txt"), "f");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, parent, _) = await c.CreateAsync(t, "p", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1, options: 1);
        var (_, f, _) = await c.CreateAsync(t, "p\\f.txt", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1);
        var rename = FileSemanticsTests.SetInfoBody(f, 10, FileSemanticsTests.RenameInfo("p\\g.txt", false));
        Assert.Equal(0xC0000043u, (await c.RequestAsync(0x11, rename, t)).Status);
        await c.CloseAsync(t, parent);
        Assert.Equal(0u, (await c.RequestAsync(0x11, rename, t)).Status);
        Assert.True(File.Exists(h.At("p/g.txt")));
    }

    [Fact]
    public async Task ReadOnlyFileCannotBeDeleteOnClose()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var body = SmbTestClient.CreateBody("ro.txt", SmbTestClient.GenericAll, 7, 2, 0x1000, attributes: 0x1);
        Assert.Equal(0xC0000121u, (await c.RequestAsync(5, body, t)).Status);
        Assert.False(File.Exists(h.At("ro.txt")));
    }

    internal static byte[] Member(SmbTestClient c, ushort command, uint tree, byte[] body, uint flags)
    {
        var m = SmbTestClient.Concat(c.BuildHeader(command, c.NextMessageId++, tree, 1, 16, flags), body);
        var padded = new byte[(m.Length + 7) & ~7];
        m.CopyTo(padded, 0);
        return padded;
    }

    internal static async Task<List<SmbMessage>> SendCompound(SmbTestClient c, params byte[][] members)
    {
        for (var i = 0; i < members.Length - 1; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(members[i].AsSpan(20), (uint)members[i].Length);
        foreach (var m in members)
            c.Signer!.Sign(m);
        await c.SendRawAsync(members.SelectMany(m => m).ToArray());
        var raw = (await c.ReceiveRawAsync())!;
        var list = new List<SmbMessage>();
        var at = 0;
        while (true)
        {
            var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(at + 20));
            var member = next == 0 ? raw[at..] : raw[at..(at + next)];
            Assert.True(c.Signer!.Verify(member), "compound member signature");
            list.Add(new SmbMessage(member));
            if (next == 0)
                break;
            Assert.Equal(0, next % 8);
            at += next;
        }
        return list;
    }

    internal static byte[] NotifyBody(byte[] fid, uint filter, uint length)
    {
        var body = new byte[32];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 32);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), length);
        fid.CopyTo(body, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(24), filter);
        return body;
    }

    internal static byte[] CloseBody(byte[] fid)
    {
        var body = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 24);
        fid.CopyTo(body, 8);
        return body;
    }
}
