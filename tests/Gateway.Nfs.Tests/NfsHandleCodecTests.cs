using System.Security.Cryptography;
using Gateway.Nfs.Tests.Support;
using Gateway.Vfs;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Tests;

public sealed class NfsHandleCodecTests
{
    private static readonly NfsHandleCodec Codec = new(NfsHarness.Key);

    // Vector computed outside .NET (Python hmac, key = bytes 0x00..0x1f):
    //   hmac.new(key, bytes.fromhex("01000000" "00000007" "0102030405060708"), sha256).hexdigest()[:32]
    [Fact]
    public void Encode_writes_version_export_node_and_a_truncated_hmac()
    {
        var handle = Codec.Encode(7, new NodeId(0x0102030405060708));
        Assert.Equal(Hex.Bytes("01 000000 | 00000007 | 0102030405060708 | c45d4e37f03e20db7541019f2c330b4d"), handle);
    }

    [Fact]
    public void Encode_of_the_first_export_root_matches_its_vector()
    {
        Assert.Equal(Hex.Bytes("01000000 00000001 0000000000000001 89ce99d3f6a896e701b1a41bc37a9050"), Codec.Encode(1, NodeId.Root));
    }

    [Fact]
    public void Handles_are_32_bytes_which_fits_nfs3_nfs2_and_mount_v1()
    {
        Assert.Equal(32, NfsHandleCodec.Size);
        Assert.Equal(32, Codec.Encode(int.MaxValue, new NodeId(ulong.MaxValue)).Length);
    }

    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(42, 0xDEADBEEFCAFEUL)]
    [InlineData(-5, ulong.MaxValue)]
    public void Decode_returns_what_was_encoded(int exportId, ulong node)
    {
        Assert.Equal(VfsStatus.Ok, Codec.Decode(Codec.Encode(exportId, new NodeId(node)), out var id, out var decoded));
        Assert.Equal(exportId, id);
        Assert.Equal(node, decoded.Value);
    }

    [Fact]
    public void Flipping_any_bit_of_any_byte_is_a_bad_handle()
    {
        var good = Codec.Encode(3, new NodeId(99));
        for (var i = 0; i < good.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var forged = (byte[])good.Clone();
                forged[i] ^= (byte)(1 << bit);
                Assert.Equal(VfsStatus.BadHandle, Codec.Decode(forged, out _, out _));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_handle_of_the_wrong_length_is_a_bad_handle(int length)
    {
        var good = Codec.Encode(3, new NodeId(99));
        var other = new byte[length];
        good.AsSpan(0, Math.Min(length, good.Length)).CopyTo(other);
        Assert.Equal(VfsStatus.BadHandle, Codec.Decode(other, out _, out _));
    }

    [Fact]
    public void A_handle_made_with_another_key_is_a_bad_handle()
    {
        var otherKey = new NfsHandleCodec(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(VfsStatus.BadHandle, Codec.Decode(otherKey.Encode(1, NodeId.Root), out _, out _));
    }

    [Fact]
    public void A_handle_forged_for_another_node_without_the_key_is_a_bad_handle()
    {
        // The attacker knows the layout and edits the node id of a handle it was given.
        var forged = Codec.Encode(1, new NodeId(5));
        forged[15] = 6;
        Assert.Equal(VfsStatus.BadHandle, Codec.Decode(forged, out _, out _));
    }

    [Fact]
    public void A_correctly_signed_handle_of_another_version_is_a_bad_handle()
    {
        var handle = Codec.Encode(1, NodeId.Root);
        handle[0] = 2;
        HMACSHA256.HashData(NfsHarness.Key, handle.AsSpan(0, 16)).AsSpan(0, 16).CopyTo(handle.AsSpan(16));
        Assert.Equal(VfsStatus.BadHandle, Codec.Decode(handle, out _, out _));
    }

    [Fact]
    public void A_correctly_signed_handle_of_node_zero_is_a_bad_handle()
    {
        Assert.Equal(VfsStatus.BadHandle, Codec.Decode(Codec.Encode(1, NodeId.None), out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(64)]
    public void The_key_must_be_32_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => new NfsHandleCodec(new byte[length]));
    }

    [Fact]
    public void The_key_is_created_once_and_kept_in_the_store_across_restarts()
    {
        using var tree = new TempTree();
        byte[] first;
        using (var store = GatewayStore.Open(tree.State)) first = NfsHandleCodec.LoadOrCreateKey(store);
        using (var store = GatewayStore.Open(tree.State)) Assert.Equal(first, NfsHandleCodec.LoadOrCreateKey(store));
        Assert.Equal(32, first.Length);
        Assert.NotEqual(new byte[32], first);
    }
}
