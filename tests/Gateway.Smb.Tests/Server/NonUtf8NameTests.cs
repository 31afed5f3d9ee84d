using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Server;

/// <summary>
/// A Linux name is bytes; the Vfs spells bytes that are not UTF-8 as lone surrogates U+DC80..U+DCFF.
/// Through SMB such a name must travel as those UTF-16 units both ways, so that the name a client
/// lists is the name that opens, renames and deletes the same file (not U+FFFD, which names nothing).
/// </summary>
public sealed partial class NonUtf8NameTests
{
    private const int ORdOnly = 0, OWrOnly = 1, OCreat = 0x40, OExcl = 0x80;

    [Fact]
    public async Task NonUtf8NameIsListedOpenedReadRenamedAndDeleted()
    {
        await using var h = new SmbHarness();
        byte[] diskName = [(byte)'f', 0xFF, (byte)'o', (byte)'.', (byte)'t', (byte)'x', (byte)'t'];
        const string vfsName = "f\uDCFFo.txt";
        CreateOnDisk(h.Root, diskName, "hello"u8);

        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");

        // Listed: the entry's name is the lone surrogate, byte for byte.
        var (_, dir, _) = await c.CreateAsync(t, "", SmbTestClient.GenericRead, disposition: 1, options: 1);
        var listed = await ListAsync(c, t, dir, "*");
        Assert.Contains(listed, n => n.AsSpan().SequenceEqual(Utf16(vfsName)));
        Assert.DoesNotContain(listed, n => MemoryMarshal.Cast<byte, char>(n).Contains('\uFFFD'));

        // A pattern that is the exact name matches it (QUERY_DIRECTORY decodes the same way).
        var exact = await ListAsync(c, t, dir, vfsName, restart: true);
        Assert.Single(exact);
        await c.CloseAsync(t, dir);

        // Opened and read: the same file.
        var (status, fid, _) = await c.CreateAsync(t, vfsName, SmbTestClient.GenericRead | SmbTestClient.Delete, disposition: 1);
        Assert.Equal(0u, status);
        var (readStatus, data) = await c.ReadAsync(t, fid, 0, 100);
        Assert.Equal(0u, readStatus);
        Assert.Equal("hello"u8.ToArray(), data);

        // Renamed to another name that is not UTF-8: the bytes on disk follow.
        const string renamed = "g\uDCFE.txt";
        byte[] renamedOnDisk = [(byte)'g', 0xFE, (byte)'.', (byte)'t', (byte)'x', (byte)'t'];
        var rename = await c.RequestAsync(0x11, FileSemanticsTests.SetInfoBody(fid, 10, RenameInfo(renamed)), t);
        Assert.Equal(0u, rename.Status);
        Assert.False(ExistsOnDisk(h.Root, diskName));
        Assert.True(ExistsOnDisk(h.Root, renamedOnDisk));

        // Deleted through delete-pending on the open handle.
        Assert.Equal(0u, (await c.RequestAsync(0x11, FileSemanticsTests.SetInfoBody(fid, 13, [1]), t)).Status);
        Assert.Equal(0u, await c.CloseAsync(t, fid));
        Assert.False(ExistsOnDisk(h.Root, renamedOnDisk));
    }

    [Fact]
    public async Task NameWithReplacementCharacterDoesNotReachTheNonUtf8File()
    {
        await using var h = new SmbHarness();
        CreateOnDisk(h.Root, [(byte)'a', 0xFF], "x"u8);
        await using var c = await SmbTestClient.LoggedOnAsync(h.Port);
        var (_, t) = await c.TreeConnectAsync("share");

        var (status, _, _) = await c.CreateAsync(t, "a\uFFFD", SmbTestClient.GenericRead, disposition: 1);

        Assert.Equal(0xC0000034u, status); // STATUS_OBJECT_NAME_NOT_FOUND
    }

    private static async Task<List<byte[]>> ListAsync(SmbTestClient c, uint t, byte[] dir, string pattern, bool restart = false)
    {
        var names = new List<byte[]>();
        var first = true;
        while (true)
        {
            var body = QueryDirectoryBody(dir, pattern, 4096, restart && first);
            first = false;
            var r = await c.RequestAsync(0x0E, body, t);
            if (r.Status != 0)
                break;
            var buf = r.Bytes.AsSpan(BinaryPrimitives.ReadUInt16LittleEndian(r.Body[2..]), BinaryPrimitives.ReadInt32LittleEndian(r.Body[4..]));
            var at = 0;
            while (true)
            {
                var e = buf[at..];
                var nameLength = BinaryPrimitives.ReadInt32LittleEndian(e[60..]);
                names.Add(e.Slice(104, nameLength).ToArray());
                var next = BinaryPrimitives.ReadInt32LittleEndian(e);
                if (next == 0)
                    break;
                at += next;
            }
        }
        return names;
    }

    private static byte[] Utf16(string s) => MemoryMarshal.AsBytes(s.AsSpan()).ToArray();

    // FileSemanticsTests' helpers encode with Encoding.Unicode, which would replace a lone surrogate.
    private static byte[] QueryDirectoryBody(byte[] fid, string pattern, int outputLength, bool restart)
    {
        var p = Utf16(pattern);
        var body = new byte[32 + p.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 33);
        body[2] = 37; // FileIdBothDirectoryInformation
        body[3] = (byte)(restart ? 1 : 0);
        fid.CopyTo(body, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(24), 64 + 32);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(26), (ushort)p.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28), (uint)outputLength);
        p.CopyTo(body, 32);
        return body;
    }

    private static byte[] RenameInfo(string target)
    {
        var name = Utf16(target);
        var b = new byte[20 + name.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)name.Length);
        name.CopyTo(b, 20);
        return b;
    }

    private static byte[] PathBytes(string root, byte[] name)
    {
        var r = Encoding.UTF8.GetBytes(root + "/");
        var p = new byte[r.Length + name.Length + 1];
        r.CopyTo(p, 0);
        name.CopyTo(p, r.Length);
        return p;
    }

    private static void CreateOnDisk(string root, byte[] name, ReadOnlySpan<byte> content)
    {
        var fd = open(PathBytes(root, name), OWrOnly | OCreat | OExcl, 0x1A4);
        Assert.True(fd >= 0, $"open failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            Assert.Equal(content.Length, (int)write(fd, content.ToArray(), (nint)content.Length));
        }
        finally
        {
            close(fd);
        }
    }

    private static bool ExistsOnDisk(string root, byte[] name)
    {
        var fd = open(PathBytes(root, name), ORdOnly, 0);
        if (fd < 0)
            return false;
        close(fd);
        return true;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int open(byte[] path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
