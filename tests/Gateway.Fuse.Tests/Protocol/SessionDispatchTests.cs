using System.Runtime.InteropServices;
using System.Text;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Fuse.Tests.Support;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>The session's request handling without a kernel: bad input gets an errno, never a hang or a crash.</summary>
public sealed class SessionDispatchTests : IAsyncLifetime
{
    private SessionHarness _h = null!;

    public Task InitializeAsync()
    {
        _h = new SessionHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void Requests_before_INIT_are_refused_with_EIO()
    {
        var r = _h.Send((uint)FuseOpcode.GetAttr, 1, new byte[16]);
        Assert.Equal(-FuseErrno.EIO, r!.Value.Header.Error);
    }

    [Fact]
    public void INIT_negotiates_our_minor_big_writes_and_passthrough()
    {
        var init = _h.Init();
        Assert.Equal(7u, init.Major);
        Assert.Equal(FuseConst.OurMinor, init.Minor);
        Assert.Equal((uint)(1 << 20), init.MaxWrite);
        Assert.Equal((ushort)256, init.MaxPages);
        var flags = init.Flags | ((ulong)init.Flags2 << 32);
        Assert.True((flags & FuseConst.FUSE_PASSTHROUGH) != 0);
        Assert.True((flags & FuseConst.FUSE_POSIX_LOCKS) != 0);
        Assert.True((flags & FuseConst.FUSE_WRITEBACK_CACHE) == 0, "writeback cache would defeat coherence and passthrough");
        Assert.Equal(2u, init.MaxStackDepth);
        Assert.True(_h.Session.PassthroughEnabled);
    }

    [Fact]
    public void A_second_INIT_is_a_protocol_error()
    {
        _h.Init();
        var body = new byte[64];
        MemoryMarshal.Write(body, new FuseInitIn { Major = 7, Minor = 45 });
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.Init, 0, body)!.Value.Header.Error);
    }

    [Theory]
    [InlineData(37u)]   // BMAP
    [InlineData(39u)]   // IOCTL
    [InlineData(9999u)] // no such opcode
    public void Unknown_or_unsupported_opcodes_get_ENOSYS(uint opcode)
    {
        _h.Init();
        var r = _h.Send(opcode, 1, new byte[64]);
        Assert.Equal(-FuseErrno.ENOSYS, r!.Value.Header.Error);
    }

    [Fact]
    public void A_length_that_disagrees_with_the_bytes_read_gets_EIO()
    {
        _h.Init();
        var r = _h.Send((uint)FuseOpcode.GetAttr, 1, new byte[16], lenOverride: 4096);
        Assert.Equal(-FuseErrno.EIO, r!.Value.Header.Error);
    }

    [Fact]
    public void A_name_without_its_NUL_or_a_short_struct_gets_EIO()
    {
        _h.Init();
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.Lookup, 1, "abc"u8)!.Value.Header.Error);
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.Read, 1, new byte[8])!.Value.Header.Error);
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.SetAttr, 1, new byte[10])!.Value.Header.Error);
        // A WRITE whose declared size runs past the request.
        var w = new byte[40 + 4];
        MemoryMarshal.Write(w, new FuseWriteIn { Fh = 1, Size = 100 });
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.Write, 1, w)!.Value.Header.Error);
    }

    [Fact]
    public void A_name_that_is_not_UTF8_is_an_ordinary_name()
    {
        _h.Init();
        // Linux names are any bytes: they reach the Vfs through NameEncoding (escaped bytes), never EILSEQ.
        Assert.Equal(-FuseErrno.ENOENT, _h.Send((uint)FuseOpcode.Lookup, 1, [0xFF, 0xFE, (byte)'x', 0])!.Value.Header.Error);
        var mkdir = new byte[8 + 3];
        MemoryMarshal.Write(mkdir, new FuseMkdirIn { Mode = 0x1ED });
        mkdir[8] = 0xC3;
        mkdir[9] = 0x28;
        var made = _h.Send((uint)FuseOpcode.Mkdir, 1, mkdir)!.Value;
        Assert.Equal(0, made.Header.Error);
        var found = _h.Send((uint)FuseOpcode.Lookup, 1, [0xC3, 0x28, 0])!.Value;
        Assert.Equal(0, found.Header.Error);
        Assert.Equal(MemoryMarshal.Read<FuseEntryOut>(made.Payload).NodeId, MemoryMarshal.Read<FuseEntryOut>(found.Payload).NodeId);
        Assert.True(_h.Export.Vfs.Lookup(Gateway.Vfs.Principal.Root, _h.Export.Vfs.Root, "\uDCC3(").IsOk);
    }

    [Fact]
    public void A_request_shorter_than_its_header_is_dropped_without_a_reply()
    {
        _h.Init();
        Assert.Null(_h.Send((uint)FuseOpcode.GetAttr, 1, [], actualLength: 20));
    }

    [Fact]
    public void Lookup_getattr_and_forget_count_kernel_references()
    {
        _h.Init();
        File.WriteAllText(_h.Export.D("f"), "12345");
        var r = _h.Send((uint)FuseOpcode.Lookup, 1, "f\0"u8)!.Value;
        Assert.Equal(0, r.Header.Error);
        var entry = MemoryMarshal.Read<FuseEntryOut>(r.Payload);
        Assert.Equal(5ul, entry.Attr.Size);
        Assert.Equal(0x8000u, entry.Attr.Mode & 0xF000);
        Assert.Equal(1, _h.Session.Nodes.LookupCount(entry.NodeId));
        _h.Send((uint)FuseOpcode.Lookup, 1, "f\0"u8);
        Assert.Equal(2, _h.Session.Nodes.LookupCount(entry.NodeId));

        var forget = new byte[8];
        MemoryMarshal.Write(forget, new FuseForgetIn { Nlookup = 2 });
        Assert.Null(_h.Send((uint)FuseOpcode.Forget, entry.NodeId, forget)); // FORGET has no reply
        Assert.Equal(0, _h.Session.Nodes.LookupCount(entry.NodeId));

        Assert.Equal(-FuseErrno.ENOENT, _h.Send((uint)FuseOpcode.Lookup, 1, "missing\0"u8)!.Value.Header.Error);
    }

    [Fact]
    public void Readdir_starts_with_dot_and_dotdot_and_resumes_from_any_offset()
    {
        _h.Init();
        for (var i = 0; i < 50; i++) File.WriteAllText(_h.Export.D($"n{i}"), "");
        var seen = new List<string>();
        ulong offset = 0;
        while (true)
        {
            var body = new byte[40];
            MemoryMarshal.Write(body, new FuseReadIn { Offset = offset, Size = 512 });
            var r = _h.Send((uint)FuseOpcode.ReadDir, 1, body)!.Value;
            Assert.Equal(0, r.Header.Error);
            if (r.Payload.Length == 0) break;
            for (var pos = 0; pos < r.Payload.Length;)
            {
                var d = MemoryMarshal.Read<FuseDirent>(r.Payload.AsSpan(pos));
                seen.Add(Encoding.UTF8.GetString(r.Payload, pos + 24, (int)d.NameLen));
                offset = d.Off;
                pos += DirentWriter.Align(24 + (int)d.NameLen);
            }
        }
        Assert.Equal(".", seen[0]);
        Assert.Equal("..", seen[1]);
        Assert.Equal(52, seen.Count);
        Assert.Equal(52, seen.Distinct().Count());
    }

    [Fact]
    public void Getxattr_of_other_namespaces_is_EOPNOTSUPP_and_missing_user_ones_ENODATA()
    {
        _h.Init();
        var body = new byte[8 + 20];
        MemoryMarshal.Write(body, new FuseGetxattrIn { Size = 0 });
        Encoding.UTF8.GetBytes("security.selinux\0", body.AsSpan(8));
        Assert.Equal(-FuseErrno.EOPNOTSUPP, _h.Send((uint)FuseOpcode.GetXattr, 1, body)!.Value.Header.Error);
        body = new byte[8 + 20];
        Encoding.UTF8.GetBytes("user.nothing\0", body.AsSpan(8));
        Assert.Equal(-FuseErrno.ENODATA, _h.Send((uint)FuseOpcode.GetXattr, 1, body.AsSpan(0, 8 + 13))!.Value.Header.Error);
    }

    [Fact]
    public void Read_and_write_with_an_unknown_file_handle_get_EBADF()
    {
        _h.Init();
        var body = new byte[40];
        MemoryMarshal.Write(body, new FuseReadIn { Fh = 12345, Size = 10 });
        Assert.Equal(-FuseErrno.EBADF, _h.Send((uint)FuseOpcode.Read, 1, body)!.Value.Header.Error);
    }

    [Fact]
    public void Statx_reports_the_basic_set_and_the_birth_time()
    {
        _h.Init();
        File.WriteAllText(_h.Export.D("b"), "abc");
        var entry = MemoryMarshal.Read<FuseEntryOut>(_h.Send((uint)FuseOpcode.Lookup, 1, "b\0"u8)!.Value.Payload);
        var r = _h.Send((uint)FuseOpcode.Statx, entry.NodeId, new byte[24])!.Value;
        Assert.Equal(0, r.Header.Error);
        var sx = MemoryMarshal.Read<FuseStatxOut>(r.Payload).Stat;
        Assert.Equal(FuseConst.STATX_BASIC_STATS | FuseConst.STATX_BTIME, sx.Mask);
        Assert.Equal(3ul, sx.Size);
        Assert.Equal(entry.NodeId, sx.Ino);
        Assert.True(sx.Btime.Sec > 1_600_000_000);
        Assert.Equal(-FuseErrno.EIO, _h.Send((uint)FuseOpcode.Statx, entry.NodeId, new byte[8])!.Value.Header.Error);
    }
}
