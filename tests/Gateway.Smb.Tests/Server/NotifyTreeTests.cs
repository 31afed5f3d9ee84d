using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Server;

/// <summary>CHANGE_NOTIFY with SMB2_WATCH_TREE: changes below the watched directory, named by their path from it.</summary>
public sealed class NotifyTreeTests
{
    private const uint Pending = 0x103, FileName = 0x1, DirName = 0x2, LastWrite = 0x10;
    private const uint Added = 1, Removed = 2, Modified = 3, RenamedOld = 4, RenamedNew = 5;

    [Fact]
    public async Task WatchTreeReportsChangesInSubdirectoriesWithTheirPath()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("w/sub/deeper"));
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, dir, _) = await a.CreateAsync(ta, "w", SmbTestClient.GenericRead, disposition: 1, options: 1);

        var id = await a.SendAsync(0x0F, NotifyBody(dir, FileName | DirName, 4096, watchTree: true), ta);
        Assert.Equal(Pending, (await a.ReceiveAsync(id, returnPending: true)).Status);
        var (s, f, _) = await b.CreateAsync(tb, "w\\sub\\deeper\\f.txt", SmbTestClient.GenericRead | SmbTestClient.GenericWrite | SmbTestClient.Delete, disposition: 2);
        Assert.Equal(0u, s);
        Assert.Equal([(Added, "sub\\deeper\\f.txt")], Changes(await a.ReceiveAsync(id)));

        // A rename inside the tree comes as the old and the new path.
        var renameId = await a.SendAsync(0x0F, NotifyBody(dir, FileName | DirName, 4096, watchTree: true), ta);
        var rename = await b.RequestAsync(0x11, FileSemanticsTests.SetInfoBody(f, 10, FileSemanticsTests.RenameInfo("w\\sub\\g.txt", false)), tb);
        Assert.Equal(0u, rename.Status);
        Assert.Equal([(RenamedOld, "sub\\deeper\\f.txt"), (RenamedNew, "sub\\g.txt")], Changes(await a.ReceiveAsync(renameId)));
        await b.CloseAsync(tb, f);
    }

    [Fact]
    public async Task WithoutWatchTreeChangesBelowAreNotReported()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("w/sub"));
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, dir, _) = await a.CreateAsync(ta, "w", SmbTestClient.GenericRead, disposition: 1, options: 1);

        var id = await a.SendAsync(0x0F, NotifyBody(dir, FileName | DirName | LastWrite, 4096, watchTree: false), ta);
        Assert.Equal(Pending, (await a.ReceiveAsync(id, returnPending: true)).Status);
        var (_, deep, _) = await b.CreateAsync(tb, "w\\sub\\below.txt", disposition: 2);
        await b.CloseAsync(tb, deep);
        var (_, top, _) = await b.CreateAsync(tb, "w\\top.txt", disposition: 2);
        await b.CloseAsync(tb, top);

        // The first thing reported is the change in the directory itself.
        Assert.Equal((Added, "top.txt"), Changes(await a.ReceiveAsync(id))[0]);
    }

    [Fact]
    public async Task WatchTreeNamesRemovalsAndWritesBelow()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("w/sub"));
        File.WriteAllText(h.At("w/sub/old.txt"), "x");
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (_, dir, _) = await a.CreateAsync(ta, "w", SmbTestClient.GenericRead, disposition: 1, options: 1);

        var (_, f, _) = await b.CreateAsync(tb, "w\\sub\\old.txt", SmbTestClient.GenericRead | SmbTestClient.GenericWrite | SmbTestClient.Delete, disposition: 1);
        var id = await a.SendAsync(0x0F, NotifyBody(dir, LastWrite, 4096, watchTree: true), ta);
        Assert.Equal(Pending, (await a.ReceiveAsync(id, returnPending: true)).Status);
        Assert.Equal(0u, (await b.WriteAsync(tb, f, 0, "changed"u8.ToArray())).Status);
        Assert.Equal((Modified, "sub\\old.txt"), Changes(await a.ReceiveAsync(id))[0]);

        var removeId = await a.SendAsync(0x0F, NotifyBody(dir, FileName, 4096, watchTree: true), ta);
        Assert.Equal(0u, (await b.RequestAsync(0x11, FileSemanticsTests.SetInfoBody(f, 13, [1]), tb)).Status);
        await b.CloseAsync(tb, f);
        Assert.Equal([(Removed, "sub\\old.txt")], Changes(await a.ReceiveAsync(removeId)));
    }

    private static byte[] NotifyBody(byte[] fid, uint filter, uint length, bool watchTree)
    {
        var body = AsyncCommandTests.NotifyBody(fid, filter, length);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)(watchTree ? 1 : 0));
        return body;
    }

    private static List<(uint Action, string Name)> Changes(SmbMessage r)
    {
        Assert.Equal(0u, r.Status);
        var buf = r.Bytes.AsSpan(BinaryPrimitives.ReadUInt16LittleEndian(r.Body[2..]), BinaryPrimitives.ReadInt32LittleEndian(r.Body[4..]));
        var list = new List<(uint, string)>();
        var at = 0;
        while (true)
        {
            var e = buf[at..];
            var length = BinaryPrimitives.ReadInt32LittleEndian(e[8..]);
            list.Add((BinaryPrimitives.ReadUInt32LittleEndian(e[4..]), new string(MemoryMarshal.Cast<byte, char>(e.Slice(12, length)))));
            var next = BinaryPrimitives.ReadInt32LittleEndian(e);
            if (next == 0)
                break;
            at += next;
        }
        return list;
    }
}
