using System.Buffers;
using Gateway.Nfs.Tests.Support;
using Gateway.Nfs.V3;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.Tests.V3;

// Byte-exact vectors, hand-assembled from the RFC 1813 §2.6 definitions field by field.
public sealed class XdrTypesTests
{
    private const long T1 = 1_700_000_000_123_456_789; // 0x6553f100 s, 0x075bcd15 ns
    private const long T2 = 1_700_000_001_000_000_001; // 0x6553f101 s, 0x00000001 ns
    private const long T3 = 1_700_000_002_999_999_999; // 0x6553f102 s, 0x3b9ac9ff ns

    private static readonly VfsAttributes File = new(
        new NodeId(0x0102030405060708), FileType.Regular, 0x1A4, 1, 1000, 100, 5000, 8192, 0, 0,
        FsId: 0xFFFF, T1, T2, T3, CreationTime: 0, DosAttributes.Archive);

    private static byte[] Encode(XdrBuild build) => Xdr.Build(build);

    [Fact]
    public void Fattr3_of_a_regular_file_is_84_bytes_in_rfc_order()
    {
        var bytes = Encode((ref XdrWriter w) => Fattr3.Write(ref w, File, fsid: 7));
        Assert.Equal(Hex.Bytes(
            "00000001" +            // type NF3REG
            "000001a4" +            // mode 0644
            "00000001" +            // nlink
            "000003e8" +            // uid 1000
            "00000064" +            // gid 100
            "0000000000001388" +    // size 5000
            "0000000000002000" +    // used 8192
            "00000000 00000000" +   // rdev
            "0000000000000007" +    // fsid: the export's, not the disk's
            "0102030405060708" +    // fileid = NodeId
            "6553f100 075bcd15" +   // atime
            "6553f101 00000001" +   // mtime
            "6553f102 3b9ac9ff"),   // ctime
            bytes);
        Assert.Equal(Fattr3.Size, bytes.Length);
    }

    [Fact]
    public void Fattr3_of_a_device_carries_major_and_minor_in_rdev()
    {
        var device = File with { Type = FileType.CharDevice, RdevMajor = 1, RdevMinor = 3 };
        var bytes = Encode((ref XdrWriter w) => Fattr3.Write(ref w, device, fsid: 7));
        Assert.Equal(Hex.Bytes("00000004"), bytes[..4]);
        Assert.Equal(Hex.Bytes("00000001 00000003"), bytes[36..44]);
    }

    [Fact]
    public void Fattr3_refuses_fileid_zero()
    {
        Assert.Throws<InvalidOperationException>(() => Encode((ref XdrWriter w) => Fattr3.Write(ref w, File with { Node = NodeId.None }, 7)));
    }

    [Fact]
    public void Nfstime3_of_a_time_before_1970_wraps_like_linux()
    {
        var bytes = Encode((ref XdrWriter w) => Nfstime3.Write(ref w, -1));
        Assert.Equal(Hex.Bytes("ffffffff 3b9ac9ff"), bytes);
    }

    [Fact]
    public void Wcc_data_with_both_sides_is_pre_op_attr_then_post_op_attr()
    {
        var before = new WccAttributes(4096, T1, T2);
        var bytes = Encode((ref XdrWriter w) => WccData.Write(ref w, before, File, fsid: 7));
        var expected = Hex.Bytes(
            "00000001" +                              // before: attributes_follow TRUE
            "0000000000001000" +                      //   wcc_attr.size
            "6553f100 075bcd15" +                     //   wcc_attr.mtime
            "6553f101 00000001" +                     //   wcc_attr.ctime
            "00000001")                               // after: attributes_follow TRUE
            .Concat(Encode((ref XdrWriter w) => Fattr3.Write(ref w, File, 7))).ToArray();
        Assert.Equal(expected, bytes);
        Assert.Equal(4 + 24 + 4 + 84, bytes.Length);
    }

    [Fact]
    public void Wcc_data_with_nothing_known_is_two_false_words()
    {
        Assert.Equal(Hex.Bytes("00000000 00000000"), Encode((ref XdrWriter w) => WccData.WriteEmpty(ref w)));
        Assert.Equal(Hex.Bytes("00000000 00000000"), Encode((ref XdrWriter w) => WccData.Write(ref w, null, null, 7)));
    }

    [Fact]
    public void Post_op_fh3_is_true_then_a_32_byte_opaque()
    {
        var codec = new NfsHandleCodec(NfsHarness.Key);
        var bytes = Encode((ref XdrWriter w) => PostOpFh3.Write(ref w, codec, 1, NodeId.Root));
        Assert.Equal(Hex.Bytes("00000001 00000020").Concat(codec.Encode(1, NodeId.Root)).ToArray(), bytes);
    }

    [Fact]
    public void Sattr3_decodes_every_set_it_arm()
    {
        var wire = Hex.Bytes(
            "00000001 000001ed" +             // set_mode3 TRUE 0755
            "00000000" +                      // set_uid3 FALSE
            "00000001 00000064" +             // set_gid3 TRUE 100
            "00000001 0000000000000400" +     // set_size3 TRUE 1024
            "00000001" +                      // set_atime SET_TO_SERVER_TIME
            "00000002 12345678 00000010");    // set_mtime SET_TO_CLIENT_TIME 0x12345678 s 16 ns
        var reader = new XdrReader(wire);
        var a = Sattr3.Read(ref reader);
        reader.EnsureFullyConsumed();
        Assert.Equal(0x1EDu, a.Mode);
        Assert.Null(a.Uid);
        Assert.Equal(100u, a.Gid);
        Assert.Equal(1024ul, a.Size);
        Assert.Equal(TimeUpdate.Now, a.AccessTime);
        Assert.Equal(TimeUpdate.At((0x12345678L * 1_000_000_000L) + 16), a.ModifyTime);
    }

    [Fact]
    public void Sattr3_with_nothing_set_is_six_zero_words_and_changes_nothing()
    {
        var reader = new XdrReader(new byte[24]);
        var a = Sattr3.Read(ref reader);
        reader.EnsureFullyConsumed();
        Assert.True(a.IsEmpty);
    }

    [Fact]
    public void Sattr3_keeps_only_permission_bits_of_the_mode()
    {
        var reader = new XdrReader(Hex.Bytes("00000001 000081a4  00000000 00000000 00000000 00000000 00000000"));
        Assert.Equal(0x1A4u, Sattr3.Read(ref reader).Mode);
    }

    [Theory]
    [InlineData("00000003")]           // time_how 3
    [InlineData("00000002 00000001")]  // SET_TO_CLIENT_TIME with a short nfstime3
    public void Sattr3_with_a_bad_time_arm_is_garbage(string atime)
    {
        var wire = Hex.Bytes("00000000 00000000 00000000 00000000" + atime);
        Assert.Throws<XdrException>(() =>
        {
            var reader = new XdrReader(wire);
            Sattr3.Read(ref reader);
        });
    }

    [Fact]
    public void Sattrguard3_true_carries_the_expected_ctime()
    {
        var reader = new XdrReader(Hex.Bytes("00000001 6553f102 3b9ac9ff"));
        Assert.Equal(T3, Sattr3.ReadGuard(ref reader));
        reader = new XdrReader(Hex.Bytes("00000000"));
        Assert.Null(Sattr3.ReadGuard(ref reader));
    }

    // filename3 is opaque bytes: UTF-8 decodes as usual, any other byte maps to U+DC00+byte (NameEncoding),
    // and writing the name back gives the same bytes. Expected strings are written escaped (xunit would
    // turn a lone surrogate in theory data into U+FFFD) and unescaped here.
    [Theory]
    [InlineData("00000003 666f6f00", "foo")]
    [InlineData("00000002 c3280000", @"\uDCC3(")]         // not UTF-8
    [InlineData("00000003 66ff6f00", @"f\uDCFFo")]
    public void Filename3_is_any_bytes_mapped_with_NameEncoding(string wire, string expected)
    {
        expected = System.Text.RegularExpressions.Regex.Unescape(expected);
        var reader = new XdrReader(Hex.Bytes(wire));
        var name = WireName.Read(ref reader);
        Assert.Equal(Nfs3Status.NFS3_OK, name.Error);
        Assert.Equal(expected, name.Value);
        Assert.Equal(Hex.Bytes(wire), Encode((ref XdrWriter w) => WireName.Write(ref w, expected)));
    }

    [Fact]
    public void Filename3_over_255_bytes_is_nametoolong()
    {
        var bytes = Encode((ref XdrWriter w) => w.WriteString(new string('a', 256)));
        var reader = new XdrReader(bytes);
        Assert.Equal(Nfs3Status.NFS3ERR_NAMETOOLONG, WireName.Read(ref reader).Error);
        bytes = Encode((ref XdrWriter w) => w.WriteString(new string('a', 255)));
        reader = new XdrReader(bytes);
        Assert.Equal(Nfs3Status.NFS3_OK, WireName.Read(ref reader).Error);
    }
}
