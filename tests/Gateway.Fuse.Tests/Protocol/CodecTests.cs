using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Fuse.Session;
using Gateway.Vfs;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>Byte layouts of replies and the pure parts of negotiation.</summary>
public sealed class CodecTests
{
    [Fact]
    public void Error_reply_is_a_bare_header_with_negative_errno()
    {
        var b = new byte[16];
        FuseReplyBuilder.WriteError(b, 0x1122334455667788, FuseErrno.ENOENT);
        Assert.Equal(Convert.FromHexString("10000000" + "FEFFFFFF" + "8877665544332211"), b);
    }

    [Fact]
    public void Notification_header_has_unique_zero_and_the_code_in_error()
    {
        var b = new byte[16];
        FuseReplyBuilder.WriteNotifyHeader(b, FuseNotifyCode.InvalEntry, 40);
        Assert.Equal(Convert.FromHexString("28000000" + "03000000" + "0000000000000000"), b);
    }

    [Fact]
    public void Success_reply_header_counts_the_payload()
    {
        var r = new FuseReplyBuilder(64);
        r.Append(new FuseWriteOut { Size = 5 });
        var msg = r.Finish(7).ToArray();
        Assert.Equal(Convert.FromHexString("18000000" + "00000000" + "0700000000000000" + "05000000" + "00000000"), msg);
    }

    [Fact]
    public void Dirents_are_padded_to_eight_bytes_and_refused_whole_when_they_do_not_fit()
    {
        var buf = new byte[64];
        var w = new DirentWriter(buf);
        Assert.True(w.TryAdd("abc", 5, 9, 8));
        Assert.Equal(32, w.Length); // 24 + 3 -> 32
        Assert.Equal(Convert.FromHexString("0500000000000000" + "0900000000000000" + "03000000" + "08000000" + "6162630000000000"), buf[..32]);
        Assert.True(w.TryAdd("12345678", 6, 10, 4));
        Assert.Equal(64, w.Length);
        Assert.False(w.TryAdd("x", 7, 11, 8));
        Assert.Equal(64, w.Length);
    }

    [Fact]
    public void Direntplus_puts_the_entry_before_the_dirent()
    {
        var buf = new byte[256];
        var w = new DirentWriter(buf);
        Assert.True(w.TryAddPlus(new FuseEntryOut { NodeId = 42 }, "n", 42, 3, 8));
        Assert.Equal(DirentWriter.Align(128 + 24 + 1), w.Length);
        Assert.Equal(42ul, MemoryMarshal.Read<ulong>(buf));
        Assert.Equal(42ul, MemoryMarshal.Read<ulong>(buf.AsSpan(128)));
        Assert.Equal((byte)'n', buf[128 + 24]);
    }

    [Fact]
    public void Init_reply_grants_only_what_the_kernel_offered()
    {
        var offered = FuseConst.FUSE_ASYNC_READ | FuseConst.FUSE_BIG_WRITES | FuseConst.FUSE_WRITEBACK_CACHE | FuseConst.FUSE_INIT_EXT;
        var o = FuseSession.BuildInitReply(38, 65536, offered, passthrough: true);
        Assert.Equal(38u, o.Minor);
        Assert.Equal((uint)(FuseConst.FUSE_ASYNC_READ | FuseConst.FUSE_BIG_WRITES | FuseConst.FUSE_INIT_EXT), o.Flags);
        Assert.Equal(0u, o.Flags2);
        Assert.Equal(0u, o.MaxStackDepth);
        Assert.Equal(65536u, o.MaxReadahead);

        var withPt = FuseSession.BuildInitReply(45, 0, offered | FuseConst.FUSE_PASSTHROUGH, passthrough: false);
        Assert.Equal(0u, withPt.Flags2); // not asked for when the option is off
        Assert.Equal(FuseConst.OurMinor, withPt.Minor);
        Assert.Equal(64, Marshal.SizeOf<FuseInitOut>());
    }

    [Fact]
    public void Attributes_encode_type_bits_times_and_device_numbers()
    {
        var a = new VfsAttributes(new NodeId(9), FileType.CharDevice, 0x1A4, 1, 10, 20, 0, 4096, 4, 300, 0,
            -1_500_000_000L, 1_700_000_000_123_456_789L, 0, 0, DosAttributes.None);
        var f = FuseAttrCodec.Encode(a, 9);
        Assert.Equal(0x2000u | 0x1A4u, f.Mode);
        Assert.Equal(8ul, f.Blocks);
        Assert.Equal(unchecked((ulong)-2L), f.Atime);
        Assert.Equal(500_000_000u, f.AtimeNsec);
        Assert.Equal(1_700_000_000ul, f.Mtime);
        Assert.Equal(123_456_789u, f.MtimeNsec);
        Assert.Equal((4u << 8) | (300u & 0xFF) | ((300u & ~0xFFu) << 12), f.Rdev);
        Assert.Equal(2u, FuseAttrCodec.DirentType(FileType.CharDevice)); // DT_CHR
        Assert.Equal(4u, FuseAttrCodec.DirentType(FileType.Directory));  // DT_DIR
    }

    [Fact]
    public void Every_VfsStatus_has_an_errno_and_only_Ok_is_zero()
    {
        foreach (var s in Enum.GetValues<VfsStatus>())
        {
            var e = FuseErrno.Map(s);
            Assert.True(s == VfsStatus.Ok ? e == 0 : e > 0, $"{s} -> {e}");
        }
        Assert.Equal(FuseErrno.EAGAIN, FuseErrno.Map(VfsStatus.LockConflict));
        Assert.Equal(FuseErrno.ESTALE, FuseErrno.Map(VfsStatus.Stale));
    }

    [Fact]
    public void Node_ids_swap_the_export_root_with_FUSE_ROOT_ID()
    {
        var t = new NodeTable(new NodeId(5));
        Assert.Equal(1ul, t.ToFuse(new NodeId(5)));
        Assert.Equal(new NodeId(5), t.ToVfs(1));
        Assert.Equal(5ul, t.ToFuse(new NodeId(1)));
        Assert.Equal(new NodeId(1), t.ToVfs(5));
        Assert.Equal(77ul, t.ToFuse(new NodeId(77)));
        var same = new NodeTable(new NodeId(1));
        Assert.Equal(1ul, same.ToFuse(new NodeId(1)));
        Assert.Equal(new NodeId(1), same.ToVfs(1));
    }
}
