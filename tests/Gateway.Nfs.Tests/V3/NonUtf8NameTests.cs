using Gateway.Nfs.Tests.Support;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

/// <summary>
/// filename3 and nfspath3 are opaque bytes: a name that is not UTF-8 on disk (Latin-1 "café" from an old
/// archive is 63 61 66 E9) goes to the client as exactly those bytes, and the client uses them to reach
/// the file. The disk side is made and read with Python's bytes API, independent of the code under test.
/// </summary>
public sealed class NonUtf8NameTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public NonUtf8NameTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    private static string Run(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(Python, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        return output;
    }

    private void MakeFileOnDisk(byte[] name, string content) =>
        Run("-c", "import os, sys; open(os.path.join(os.fsencode(sys.argv[1]), bytes.fromhex(sys.argv[2])), 'wb').write(sys.argv[3].encode())",
            _h.Tree.Root, Convert.ToHexString(name), content);

    private string[] NamesOnDisk() =>
        Run("-c", "import os, sys; [print(n.hex().upper()) for n in sorted(os.listdir(os.fsencode(sys.argv[1])))]", _h.Tree.Root)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private Task<byte[]> Call(Nfs3Procedure procedure, XdrBuild build) =>
        _c.CallAsync(NfsClient.NfsProgram, 3, (uint)procedure, Xdr.Build(build));

    /// <summary>READDIR or READDIRPLUS names as the raw bytes on the wire (the shared client decodes them as text).</summary>
    private async Task<List<(byte[] Name, ulong FileId, byte[]? Handle)>> RawListingAsync(byte[] dir, bool plus)
    {
        var results = plus
            ? await Call(Nfs3Procedure.READDIRPLUS, (ref XdrWriter w) =>
            {
                w.WriteOpaque(dir);
                w.WriteUInt64(0);
                w.WriteUInt64(0);
                w.WriteUInt32(8192);
                w.WriteUInt32(32768);
            })
            : await Call(Nfs3Procedure.READDIR, (ref XdrWriter w) =>
            {
                w.WriteOpaque(dir);
                w.WriteUInt64(0);
                w.WriteUInt64(0);
                w.WriteUInt32(8192);
            });
        return Xdr.Parse(results, (ref XdrReader r) =>
        {
            Assert.Equal(NFS3_OK, Wire.Status(ref r));
            Wire.PostOpAttr(ref r);
            r.ReadUInt64(); // cookieverf
            var entries = new List<(byte[], ulong, byte[]?)>();
            while (r.ReadBool())
            {
                var fileId = r.ReadUInt64();
                var name = r.ReadOpaque(1024).ToArray();
                r.ReadUInt64(); // cookie
                byte[]? handle = null;
                if (plus)
                {
                    Wire.PostOpAttr(ref r);
                    handle = Wire.PostOpFh(ref r);
                }
                entries.Add((name, fileId, handle));
            }
            Assert.True(r.ReadBool()); // eof
            return entries;
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task READDIR_returns_the_raw_bytes_and_LOOKUP_with_them_reaches_the_file(bool plus)
    {
        byte[] latin1 = [0x63, 0x61, 0x66, 0xE9], broken = [0x66, 0xFF, 0x6F];
        MakeFileOnDisk(latin1, "café from 1998");
        MakeFileOnDisk(broken, "broken");
        var root = await _c.RootAsync();

        var listed = (await RawListingAsync(root, plus)).Where(e => e.Name is not [0x2E] and not [0x2E, 0x2E]).ToList();
        Assert.Equal(["636166E9", "66FF6F"], listed.Select(e => Convert.ToHexString(e.Name)).Order());

        foreach (var (name, fileId, handle) in listed)
        {
            var found = await _c.LookupRawAsync(root, name);
            Assert.Equal(NFS3_OK, found.Status);
            Assert.Equal(fileId, found.Attributes!.FileId);
            if (plus) Assert.Equal(handle, found.Handle);
            var expected = name.Length == 4 ? "café from 1998" : "broken";
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString((await _c.ReadAsync(found.Handle!, 0, 100)).Data));
        }
    }

    [Fact]
    public async Task CREATE_RENAME_and_REMOVE_with_raw_names_act_on_exactly_those_bytes()
    {
        var root = await _c.RootAsync();
        var created = await _c.CreateRawNameAsync(root, [0x66, 0xFF, 0x6F]);
        Assert.Equal(NFS3_OK, created.Status);
        Assert.NotNull(created.DirWcc.After);
        Assert.Equal(["66FF6F"], NamesOnDisk());

        var renamed = await Call(Nfs3Procedure.RENAME, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, root, [0x66, 0xFF, 0x6F]);
            Wire.DirOp(ref w, root, [0xC3, 0x28]);
        });
        Assert.Equal(NFS3_OK, Xdr.Parse(renamed, static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            Wire.Wcc(ref r);
            Wire.Wcc(ref r);
            return s;
        }));
        Assert.Equal(["C328"], NamesOnDisk());
        Assert.Equal(NFS3ERR_NOENT, (await _c.LookupRawAsync(root, [0x66, 0xFF, 0x6F])).Status);
        Assert.Equal(created.Handle, (await _c.LookupRawAsync(root, [0xC3, 0x28])).Handle);

        var removed = await Call(Nfs3Procedure.REMOVE, (ref XdrWriter w) => Wire.DirOp(ref w, root, [0xC3, 0x28]));
        Assert.Equal(NFS3_OK, Xdr.Parse(removed, static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            Wire.Wcc(ref r);
            return s;
        }));
        Assert.Empty(NamesOnDisk());
    }

    [Fact]
    public async Task SYMLINK_and_READLINK_carry_a_target_that_is_not_UTF8_byte_for_byte()
    {
        var root = await _c.RootAsync();
        byte[] target = [0x74, 0xFF, 0x2F, 0xE9]; // "t\xFF/\xE9"
        var made = await Call(Nfs3Procedure.SYMLINK, (ref XdrWriter w) =>
        {
            Wire.DirOp(ref w, root, [0x6C, 0x80]);
            Sattr.None.Write(ref w);
            w.WriteOpaque(target);
        });
        Assert.Equal(NFS3_OK, Xdr.Parse(made, static (ref XdrReader r) =>
        {
            var s = Wire.Status(ref r);
            Wire.PostOpFh(ref r);
            Wire.PostOpAttr(ref r);
            Wire.Wcc(ref r);
            return s;
        }));
        var onDisk = Run("-c", "import os, sys; print(os.readlink(os.path.join(os.fsencode(sys.argv[1]), b'l\\x80')).hex().upper())", _h.Tree.Root).Trim();
        Assert.Equal("74FF2FE9", onDisk);

        var link = await _c.LookupRawAsync(root, [0x6C, 0x80]);
        Assert.Equal(NFS3_OK, link.Status);
        var read = Xdr.Parse(await Call(Nfs3Procedure.READLINK, (ref XdrWriter w) => w.WriteOpaque(link.Handle!)), static (ref XdrReader r) =>
        {
            Assert.Equal(NFS3_OK, Wire.Status(ref r));
            Wire.PostOpAttr(ref r);
            return r.ReadOpaque(4096).ToArray();
        });
        Assert.Equal(target, read);
    }

    /// <summary>Debian's libnfs-utils over a real TCP server: nfs-ls prints the raw bytes, nfs-cat reaches the file with them.</summary>
    [Fact]
    public async Task A_real_client_lists_the_raw_bytes_and_reads_the_file_through_them()
    {
        MakeFileOnDisk([0x63, 0x61, 0x66, 0xE9], "café from 1998");
        await using var server = new RpcServer(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), _h.Dispatcher);
        server.Start();
        var url = $"nfs://127.0.0.1/export/?nfsport={server.Port}&mountport={server.Port}&version=3";
        // Python passes and captures bytes as they are (.NET process arguments are strings, so UTF-8 only).
        const string Script = """
            import subprocess, sys
            listing = subprocess.run(['nfs-ls', sys.argv[1]], capture_output=True, check=True, timeout=60).stdout
            print(listing.hex())
            base, query = sys.argv[1].split('?')
            url = base.encode() + bytes.fromhex(sys.argv[2]) + b'?' + query.encode()
            print(subprocess.run([b'nfs-cat', url], capture_output=True, check=True, timeout=60).stdout.hex())
            """;
        var output = await Task.Run(() => Run("-c", Script, url, "636166E9"));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var listing = Convert.FromHexString(lines[0]);
        Assert.True(listing.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]) >= 0, $"nfs-ls printed {lines[0]}");
        Assert.Equal("café from 1998", System.Text.Encoding.UTF8.GetString(Convert.FromHexString(lines[1])));
    }

    [Fact]
    public async Task A_raw_name_over_255_bytes_is_nametoolong_and_255_bytes_is_fine()
    {
        var root = await _c.RootAsync();
        Assert.Equal(NFS3ERR_NAMETOOLONG, (await _c.CreateRawNameAsync(root, Enumerable.Repeat((byte)0xFF, 256).ToArray())).Status);
        Assert.Equal(NFS3_OK, (await _c.CreateRawNameAsync(root, Enumerable.Repeat((byte)0xFF, 255).ToArray())).Status);
        Assert.Equal([new string('F', 510)], NamesOnDisk());
    }
}
