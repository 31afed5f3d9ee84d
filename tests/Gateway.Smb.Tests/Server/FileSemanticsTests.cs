using System.Buffers.Binary;
using System.Text;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Server;

public sealed class FileSemanticsTests
{
    private const uint SharingViolation = 0xC0000043, NameCollision = 0xC0000035, NameNotFound = 0xC0000034,
        PathNotFound = 0xC000003A, NameInvalid = 0xC0000033, NotEmpty = 0xC0000101, DeletePending = 0xC0000056;

    [Fact]
    public async Task ShareModesConflictAcrossClients()
    {
        await using var h = new SmbHarness();
        File.WriteAllText(h.At("locked.txt"), "data");
        await using var a = await SmbTestClient.LoggedOnAsync(h.Port);
        await using var b = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, ta) = await a.TreeConnectAsync("share");
        var (_, tb) = await b.TreeConnectAsync("share");
        var (s, fid, _) = await a.CreateAsync(ta, "locked.txt", SmbTestClient.GenericRead, share: SmbTestClient.ShareRead, disposition: 1);
        Assert.Equal(0u, s);
        Assert.Equal(SharingViolation, (await b.CreateAsync(tb, "locked.txt", SmbTestClient.GenericWrite, disposition: 1)).Status);
        var (s2, fid2, _) = await b.CreateAsync(tb, "locked.txt", SmbTestClient.GenericRead, share: 7, disposition: 1);
        Assert.Equal(0u, s2);

        // smbclient's get asks to share only reads: refused while b... no, both are readers; a write-open blocks it.
        await b.CloseAsync(tb, fid2);
        await a.CloseAsync(ta, fid);
        var (s3, fid3, _) = await a.CreateAsync(ta, "locked.txt", SmbTestClient.GenericWrite, share: 0, disposition: 1);
        Assert.Equal(0u, s3);
        var work = Path.Combine(h.Base, "client");
        Directory.CreateDirectory(work);
        var r = await Smbclient.RunAsync(h.Port, "share", "SMB3_11", "sign", "get locked.txt out.txt", work);
        Assert.Contains("NT_STATUS_SHARING_VIOLATION", r.All);
        await a.CloseAsync(ta, fid3);
        r = await Smbclient.RunAsync(h.Port, "share", "SMB3_11", "sign", "get locked.txt out.txt", work);
        Assert.True(r.ExitCode == 0, r.All);
    }

    [Fact]
    public async Task DispositionsAndNames()
    {
        await using var h = new SmbHarness();
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (s, fid, resp) = await c.CreateAsync(t, "n.txt", disposition: 2);
        Assert.Equal(0u, s);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(resp.Body[4..])); // FILE_CREATED
        await c.WriteAsync(t, fid, 0, "abc"u8.ToArray());
        await c.CloseAsync(t, fid);
        Assert.Equal(NameCollision, (await c.CreateAsync(t, "n.txt", disposition: 2)).Status);
        var (s2, fid2, r2) = await c.CreateAsync(t, "n.txt", disposition: 5); // OVERWRITE_IF
        Assert.Equal(0u, s2);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(r2.Body[4..])); // FILE_OVERWRITTEN
        await c.CloseAsync(t, fid2);
        Assert.Equal(0, new FileInfo(h.At("n.txt")).Length);
        Assert.Equal(NameNotFound, (await c.CreateAsync(t, "missing.txt", disposition: 1)).Status);
        Assert.Equal(PathNotFound, (await c.CreateAsync(t, "nodir\\x.txt", disposition: 3)).Status);
        Assert.Equal(NameInvalid, (await c.CreateAsync(t, "..\\escape.txt", disposition: 3)).Status);
        Assert.Equal(NameInvalid, (await c.CreateAsync(t, "a/b", disposition: 3)).Status);
        Assert.Equal(NameInvalid, (await c.CreateAsync(t, "n.txt:stream", disposition: 3)).Status);
        var (s3, fid3, _) = await c.CreateAsync(t, "n.txt::$DATA", disposition: 1);
        Assert.Equal(0u, s3);
        await c.CloseAsync(t, fid3);
        Assert.False(File.Exists(Path.Combine(h.Base, "escape.txt")));
    }

    [Fact]
    public async Task DeleteOnCloseAndDirectoryNotEmpty()
    {
        await using var h = new SmbHarness();
        Directory.CreateDirectory(h.At("full"));
        File.WriteAllText(h.At("full/x"), "x");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");

        var (s, fid, _) = await c.CreateAsync(t, "gone.txt", SmbTestClient.GenericAll, disposition: 2, options: 0x1000);
        Assert.Equal(0u, s);
        Assert.True(File.Exists(h.At("gone.txt")));
        Assert.Equal(0u, await c.CloseAsync(t, fid));
        Assert.False(File.Exists(h.At("gone.txt")));

        var (sd, dir, _) = await c.CreateAsync(t, "full", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1, options: 1);
        Assert.Equal(0u, sd);
        var set = SetInfoBody(dir, 13, [1]);
        Assert.Equal(NotEmpty, (await c.RequestAsync(0x11, set, t)).Status);
        await c.CloseAsync(t, dir);

        File.WriteAllText(h.At("pending.txt"), "p");
        var (sp, pf, _) = await c.CreateAsync(t, "pending.txt", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1);
        Assert.Equal(0u, sp);
        Assert.Equal(0u, (await c.RequestAsync(0x11, SetInfoBody(pf, 13, [1]), t)).Status);
        Assert.Equal(DeletePending, (await c.CreateAsync(t, "pending.txt", SmbTestClient.GenericRead, disposition: 1)).Status);
        await c.CloseAsync(t, pf);
        Assert.False(File.Exists(h.At("pending.txt")));
    }

    [Fact]
    public async Task RenameHonoursReplaceIfExists()
    {
        await using var h = new SmbHarness();
        File.WriteAllText(h.At("src.txt"), "src");
        File.WriteAllText(h.At("dst.txt"), "dst");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, fid, _) = await c.CreateAsync(t, "src.txt", SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1);
        Assert.Equal(NameCollision, (await c.RequestAsync(0x11, SetInfoBody(fid, 10, RenameInfo("dst.txt", false)), t)).Status);
        Assert.Equal(0u, (await c.RequestAsync(0x11, SetInfoBody(fid, 10, RenameInfo("dst.txt", true)), t)).Status);
        await c.CloseAsync(t, fid);
        Assert.Equal("src", File.ReadAllText(h.At("dst.txt")));
        Assert.False(File.Exists(h.At("src.txt")));
    }

    [Fact]
    public async Task ReadPastEndIsEndOfFile()
    {
        await using var h = new SmbHarness();
        File.WriteAllText(h.At("short.txt"), "12345");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, fid, _) = await c.CreateAsync(t, "short.txt", SmbTestClient.GenericRead, disposition: 1);
        Assert.Equal(0xC0000011u, (await c.ReadAsync(t, fid, 100, 10)).Status);
        var (s, data) = await c.ReadAsync(t, fid, 3, 10);
        Assert.Equal(0u, s);
        Assert.Equal("45"u8.ToArray(), data);
    }

    [Fact]
    public async Task QueryDirectoryListsDotsFirstAndEndsWithNoMoreFiles()
    {
        await using var h = new SmbHarness();
        for (var i = 0; i < 50; i++)
            File.WriteAllText(h.At($"file{i:D2}.txt"), "x");
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");
        var (_, dir, _) = await c.CreateAsync(t, "", SmbTestClient.GenericRead, disposition: 1, options: 1);
        var names = new List<string>();
        uint status;
        while (true)
        {
            var r = await c.RequestAsync(0x0E, QueryDirectoryBody(dir, 37, "*", 1024), t);
            status = r.Status;
            if (status != 0)
                break;
            var buf = r.Bytes.AsSpan(BinaryPrimitives.ReadUInt16LittleEndian(r.Body[2..]), BinaryPrimitives.ReadInt32LittleEndian(r.Body[4..]));
            var at = 0;
            while (true)
            {
                var e = buf[at..];
                var nameLength = BinaryPrimitives.ReadInt32LittleEndian(e[60..]);
                names.Add(Encoding.Unicode.GetString(e.Slice(104, nameLength)));
                var next = BinaryPrimitives.ReadInt32LittleEndian(e);
                if (next == 0)
                    break;
                at += next;
            }
        }
        Assert.Equal(0x80000006u, status);
        Assert.Equal(".", names[0]);
        Assert.Equal("..", names[1]);
        Assert.Equal(52, names.Count);
        var none = await c.RequestAsync(0x0E, QueryDirectoryBody(dir, 37, "nomatch*", 1024, restart: true), t);
        Assert.Equal(0xC000000Fu, none.Status);
    }

    internal static byte[] QueryDirectoryBody(byte[] fid, byte infoClass, string pattern, int outputLength, bool restart = false)
    {
        var p = Encoding.Unicode.GetBytes(pattern);
        var body = new byte[32 + p.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 33);
        body[2] = infoClass;
        body[3] = (byte)(restart ? 1 : 0);
        fid.CopyTo(body, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), 64 + 32);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(26), (ushort)p.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28), (uint)outputLength);
        p.CopyTo(body, 32);
        return body;
    }

    internal static byte[] SetInfoBody(byte[] fid, byte infoClass, byte[] data, byte infoType = 1)
    {
        var body = new byte[32 + data.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 33);
        body[2] = infoType;
        body[3] = infoClass;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(8), 64 + 32);
        fid.CopyTo(body, 16);
        data.CopyTo(body, 32);
        return body;
    }

    internal static byte[] RenameInfo(string target, bool replace)
    {
        var name = Encoding.Unicode.GetBytes(target);
        var b = new byte[20 + name.Length];
        b[0] = (byte)(replace ? 1 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)name.Length);
        name.CopyTo(b, 20);
        return b;
    }
}
