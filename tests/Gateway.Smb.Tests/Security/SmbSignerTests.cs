using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

public class SmbSignerTests
{
    // A 72-byte SMB2 response (SERVER_TO_REDIR, MessageId 0x1122334455667788) used for the cross-checked vectors.
    private static readonly byte[] Packet = Convert.FromHexString(
        "FE534D424000010000000000030001000900000000000000887766554433221100000000010000001900000000100000" +
        "000000000000000000000000000000000900000048000000");

    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");

    [Fact]
    public void AesCmac_reproduces_the_signature_of_Microsofts_SMB311_session_setup_response()
    {
        byte[] published = MicrosoftSmb311Exchange.SessionSetupResponse2;
        using var signer = new SmbSigner(SigningAlgorithm.AesCmac, MicrosoftSmb311Exchange.SigningKey);
        Assert.True(signer.Verify(published));

        byte[] packet = (byte[])published.Clone();
        packet.AsSpan(48, 16).Clear();
        signer.Sign(packet);
        Assert.Equal(published, packet);
        Assert.Equal(Convert.FromHexString("EBE146DA120BA25FC3376A49DFE31BC1"), packet.AsSpan(48, 16).ToArray());
    }

    [Fact]
    public void AesCmac_reproduces_the_second_channel_signature()
    {
        // The session-binding SESSION_SETUP response of the same blog, signed with the channel's signing key.
        byte[] published = Convert.FromHexString(
            "FE534D4240000100000000000100800009000000000000000300000000000000FFFE000000000000" +
            "19000000001000008D604217FFBACF40635BF9D8729921500900000048001D00A11B3019A0030A01" +
            "00A312041001000000CFB046FC5D368E2200000000");
        using var signer = new SmbSigner(SigningAlgorithm.AesCmac, Convert.FromHexString("C962BCA1A9DD1697B030644199705431"));
        Assert.True(signer.Verify(published));
    }

    [Theory]
    [InlineData("", "bb1d6929e95937287fa37d129b756746")]
    [InlineData("6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", "dfa66747de9ae63030ca32611497c827")]
    [InlineData("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", "51f0bebf7e3b9d92fc49741779363cfe")]
    public void AesCmac_matches_RFC_4493_and_SP_800_38B_examples(string message, string mac)
    {
        byte[] key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        Assert.Equal(Convert.FromHexString(mac), SmbSigner.AesCmac(key, Convert.FromHexString(message)));
    }

    [Fact]
    public void HmacSha256_matches_an_independent_computation()
    {
        // Expected value generated once with Python's hmac/hashlib (HMAC-SHA256 over the packet, first 16 bytes),
        // the algorithm impacket's SMB2 signSMB uses for 2.x.
        byte[] packet = (byte[])Packet.Clone();
        using var signer = new SmbSigner(SigningAlgorithm.HmacSha256, Key);
        signer.Sign(packet);
        Assert.Equal(Convert.FromHexString("6A0A9A1ED946A7FC7B35899C2020C958"), packet.AsSpan(48, 16).ToArray());
        Assert.True(signer.Verify(packet));
    }

    [Fact]
    public void AesGmac_uses_the_message_id_and_role_bit_nonce()
    {
        // Expected values generated once with Python cryptography's AESGCM: tag of empty plaintext with the
        // packet as AAD, nonce = MessageId (LE) || 0x00000001 (server role) and || 0x00000002 (a client CANCEL).
        // The AAD is the packet as signed, so with SMB2_FLAGS_SIGNED set (Sign sets it before computing).
        byte[] packet = (byte[])Packet.Clone();
        using var signer = new SmbSigner(SigningAlgorithm.AesGmac, Key);
        signer.Sign(packet);
        Assert.Equal(Convert.FromHexString("E0F288D8026E4132A99E45A6ADFA318E"), packet.AsSpan(48, 16).ToArray());

        byte[] cancel = Convert.FromHexString(
            "FE534D4240000100000000000C0001000000000000000000887766554433221100000000010000001900000000100000" +
            "000000000000000000000000000000000900000048000000");
        signer.Sign(cancel);
        Assert.Equal(Convert.FromHexString("31776551DDDE1998336F75B9A69A8D36"), cancel.AsSpan(48, 16).ToArray());
        Assert.Equal(0x08, cancel[16]); // Sign set SMB2_FLAGS_SIGNED
        Assert.True(signer.Verify(cancel));
    }

    [Theory]
    [InlineData(SigningAlgorithm.HmacSha256)]
    [InlineData(SigningAlgorithm.AesCmac)]
    [InlineData(SigningAlgorithm.AesGmac)]
    public void Sign_then_verify_and_every_flipped_bit_fails(SigningAlgorithm algorithm)
    {
        var random = new Random(4242);
        byte[] packet = new byte[64 + 200];
        random.NextBytes(packet);
        using var signer = new SmbSigner(algorithm, Key);
        signer.Sign(packet);
        Assert.True(signer.Verify(packet));
        Assert.Equal(0x08, packet[16] & 0x08);

        byte[] copy = (byte[])packet.Clone();
        for (int bit = 0; bit < packet.Length * 8; bit += 7)
        {
            packet[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(signer.Verify(packet), $"bit {bit} flipped still verified");
            packet[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.Equal(copy, packet); // Verify never touched the caller's bytes
        Assert.False(signer.Verify(packet.AsSpan(0, 63)));
        Assert.False(signer.Verify(packet.AsSpan(0, packet.Length - 1)));
    }

    [Fact]
    public void Wrong_key_fails()
    {
        byte[] packet = (byte[])Packet.Clone();
        using var a = new SmbSigner(SigningAlgorithm.AesCmac, Key);
        using var b = new SmbSigner(SigningAlgorithm.AesCmac, MicrosoftSmb311Exchange.SigningKey);
        a.Sign(packet);
        Assert.False(b.Verify(packet));
    }
}
