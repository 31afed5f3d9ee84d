using System.Buffers.Binary;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>
/// SMB 3 encryption against Microsoft's published examples ("Encryption in SMB 3.0: a protocol perspective",
/// AES-128-CCM; "SMB 3.1.1 Encryption in Windows 10", AES-128-GCM), plus round trips and hostile input.
/// </summary>
public class SmbCipherTests
{
    private static byte[] Transform(SmbCipher cipher, byte[] message, ulong sessionId)
    {
        byte[] output = new byte[SmbCipher.TransformHeaderSize + message.Length];
        cipher.Encrypt(message, sessionId, output);
        return output;
    }

    [Fact]
    public void Aes128Ccm_reproduces_the_SMB300_client_write()
    {
        // Client to server: the client encrypts with its EncryptionKey, which is our DecryptionKey.
        byte[] key = Convert.FromHexString("261B72350558F2E9DCF613070383EDBF");
        byte[] message = Convert.FromHexString(
            "FE534D4240000100000000000900400008000000000000000400000000000000" +
            "FFFE0000010000001100001400E4080000000000000000000000000000000000" +
            "3100700017000000000000000000000015010000390000020100000039020000" +
            "00000000000000007000000000000000536D623320656E6372797074696F6E20" +
            "74657374696E67");
        byte[] expected = Convert.FromHexString(
            "FD534D4281A286535415445DAE393921E44FA42E66E69A111892584FB5ED524A" +
            "744DA3EE87000000000001001100001400E4080025C8FEE16605A437832D1CD5" +
            "2DA9F4645333482A175FE5384563F45FCDAFAEF38BC62BA4D5C62897996625A4" +
            "4C29BE5658DE2E6117585779E7B59FFD971278D08580D7FA899E410E910EABF5" +
            "AA1DB43050B33B49182637759AC15D84BFCDF5B6B238993C0F4CF4D6012023F6" +
            "C627297075D84B7803912D0A9639634453595EF3E33FFE4E7AC2AB");
        using var cipher = new SmbCipher(CipherId.Aes128Ccm, key);
        byte[] output = new byte[expected.Length];
        cipher.EncryptWithNonce(message, 0x8e40014000011, Convert.FromHexString("66E69A111892584FB5ED524A744DA3EE"), output);
        Assert.Equal(expected, output);

        byte[] plain = new byte[message.Length];
        Assert.True(cipher.TryDecrypt(expected, plain, out int length));
        Assert.Equal(message, plain.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Aes128Ccm_decrypts_the_SMB300_server_response()
    {
        byte[] key = Convert.FromHexString("8FE2B57EC34D2DB5B1A9727F526BBDB5");
        byte[] transformed = Convert.FromHexString(
            "FD534D42A6015530A18F6D9AFFE22AFAE8E66484860000000000000011000014" +
            "00E4080050000000000001001100001400E40800DBF46435C5F14169293CE079" +
            "E344479BF670227E49873F458672C3098DAC467DD5809F369D67409166515787" +
            "1483E01F7BECD02064EAC3E235F913668BBC2F097980D4B378F1993EFF6E60D1" +
            "77309E5B");
        byte[] expected = Convert.FromHexString(
            "FE534D4240000100000000000900210009000000000000000400000000000000" +
            "FFFE0000010000001100001400E4080000000000000000000000000000000000" +
            "11000000170000000000000000000000");
        Assert.True(SmbCipher.TryReadHeader(transformed, out ulong sessionId, out int size));
        Assert.Equal(0x8e40014000011UL, sessionId);
        Assert.Equal(expected.Length, size);
        using var cipher = new SmbCipher(CipherId.Aes128Ccm, key);
        byte[] plain = new byte[size];
        Assert.True(cipher.TryDecrypt(transformed, plain, out int length));
        Assert.Equal(expected, plain.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Aes128Gcm_reproduces_the_SMB311_client_write()
    {
        byte[] key = Convert.FromHexString("A2F5E80E5D59103034F32E52F698E5EC");
        byte[] message = Convert.FromHexString(
            "FE534D4240000100000000000900010008000000000000000500000000000000FFFE000001000000" +
            "25000000001000000000000000000000000000000000000031007000170000000000000000000000" +
            "0600000004000000010000000400000000000000000000007000000000000000536D623320656E63" +
            "72797074696F6E2074657374696E67");
        byte[] expected = Convert.FromHexString(
            "FD534D42BD73D97D2BC9001BCAFAC0FDFF5FEEBCC7D6822D269CAF48904C664C0000000087000000" +
            "0000010025000000001000006ECDD2A7AFC7B47763057A041B8FD4DAFFE990B70C9E09D36C084E02" +
            "D14EF247F8BDE38ACF6256F8B1D3B56F77FBDEB312FEA5E92CBCC1ED8FB2EBBFAA75E49A4A394BB4" +
            "4576545567C24D4C014D47C9FBDFDAFD2C4F9B72F8D256452620A299F48E29E53D6B61D1C13A19E9" +
            "1AF013F00D17E3ABC2FC3D36C8C1B6B93973253852DBD442E46EE8");
        using var cipher = new SmbCipher(CipherId.Aes128Gcm, key);
        byte[] output = new byte[expected.Length];
        cipher.EncryptWithNonce(message, 0x100000000025, Convert.FromHexString("C7D6822D269CAF48904C664C00000000"), output);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Aes128Gcm_decrypts_the_SMB311_server_response()
    {
        byte[] key = Convert.FromHexString("748C50868C90F302962A5C35F5F9A8BF");
        byte[] transformed = Convert.FromHexString(
            "FD534D42ACBE1CB7ED343ADF1725EF144D90D4B0E06831DD2E8EB7B4000000000000000050000000" +
            "00000100250000000010000026BBBF949983A6C1C796559D0F2C510CB651D1F7B6AC8DED32A2A0B8" +
            "F2D793A815C6F6B848D69767A215841A42D400AE6DDB5F0B44173A014973321FDD7950DA6179159B" +
            "82E03C9E18A050FF0EA1C967");
        byte[] expected = Convert.FromHexString(
            "FE534D4240000100000000000900010001000000000000000500000000000000FFFE000001000000" +
            "25000000001000000000000000000000000000000000000011000000170000000000000000000000");
        using var cipher = new SmbCipher(CipherId.Aes128Gcm, key);
        byte[] plain = new byte[100];
        Assert.True(cipher.TryDecrypt(transformed, plain, out int length));
        Assert.Equal(expected, plain.AsSpan(0, length).ToArray());
    }

    [Theory]
    [InlineData(CipherId.Aes256Ccm, 11, "FD534D42F5EA15A5C88C9659C98D3F55147FD2B1A0A1A2A3A4A5A6A7A8A9AA0000000000480000000000010025000000001000002A14831EF1349E15BA32D36E42CABED10C2F3E3CCE6C82656590E25098BFED44082EF768DECF9AF91893927B207C6BD12E353345EA82A39F09F0E0D711DA9595EC09CB03E876D648")]
    [InlineData(CipherId.Aes256Gcm, 12, "FD534D429B504EF5B8E4F63896BB4D4B3162BECFA0A1A2A3A4A5A6A7A8A9AAAB0000000048000000000001002500000000100000806FE97684D781AAA128ADBA255D77A6987FC1073CB4262287E5ADAC97558DE91F553DB407A9C37AD3E2D3ED4E669DFE76537B2CF785B06F716E986C8FC6FDC25167D28CE9DC68D1")]
    public void Aes256_matches_an_independent_computation(CipherId id, int nonceLength, string expectedHex)
    {
        // No published AES-256 SMB vector exists; expected bytes generated once with Python cryptography's
        // AESCCM/AESGCM (key 20..3F, nonce A0.., AAD = transform header from offset 20).
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            key[i] = (byte)(0x20 + i);
        }

        byte[] nonce = new byte[16];
        for (int i = 0; i < nonceLength; i++)
        {
            nonce[i] = (byte)(0xA0 + i);
        }

        byte[] message = Convert.FromHexString(
            "FE534D424000010000000000030001000900000000000000887766554433221100000000010000001900000000100000" +
            "000000000000000000000000000000000900000048000000");
        byte[] expected = Convert.FromHexString(expectedHex);
        using var cipher = new SmbCipher(id, key);
        byte[] output = new byte[expected.Length];
        cipher.EncryptWithNonce(message, 0x0000100000000025, nonce, output);
        Assert.Equal(expected, output);
        byte[] plain = new byte[message.Length];
        Assert.True(cipher.TryDecrypt(output, plain, out int length));
        Assert.Equal(message, plain.AsSpan(0, length).ToArray());
    }

    [Theory]
    [InlineData(CipherId.Aes128Ccm, 16)]
    [InlineData(CipherId.Aes128Gcm, 16)]
    [InlineData(CipherId.Aes256Ccm, 32)]
    [InlineData(CipherId.Aes256Gcm, 32)]
    public void Round_trip_and_tampering_fail_cleanly(CipherId id, int keyLength)
    {
        var random = new Random(77);
        byte[] key = new byte[keyLength];
        random.NextBytes(key);
        byte[] message = new byte[1000];
        random.NextBytes(message);
        using var cipher = new SmbCipher(id, key);
        byte[] t = Transform(cipher, message, 0xABCDEF);

        Assert.True(SmbCipher.TryReadHeader(t, out ulong sid, out int size));
        Assert.Equal(0xABCDEFUL, sid);
        Assert.Equal(message.Length, size);
        Assert.Equal(0xFD, t[0]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(t.AsSpan(42)));

        byte[] plain = new byte[message.Length];
        Assert.True(cipher.TryDecrypt(t, plain, out int length));
        Assert.Equal(message, plain.AsSpan(0, length).ToArray());

        // Flipped tag, nonce, AAD (session id) and ciphertext bytes.
        foreach (int at in new[] { 4, 19, 20, 36 + 0, 44, 51, 52, t.Length - 1 })
        {
            byte[] bad = (byte[])t.Clone();
            bad[at] ^= 0x01;
            Assert.False(cipher.TryDecrypt(bad, plain, out length), $"byte {at} flipped still decrypted");
            Assert.Equal(0, length);
        }

        // Truncated, too long, OriginalMessageSize larger/smaller than what follows, short plaintext buffer.
        Assert.False(cipher.TryDecrypt(t.AsSpan(0, t.Length - 1), plain, out _));
        Assert.False(cipher.TryDecrypt([.. t, 0], plain, out _));
        Assert.False(cipher.TryDecrypt(t.AsSpan(0, 51), plain, out _));
        Assert.False(cipher.TryDecrypt([], plain, out _));
        byte[] oversize = (byte[])t.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(oversize.AsSpan(36), uint.MaxValue);
        Assert.False(cipher.TryDecrypt(oversize, plain, out _));
        Assert.False(SmbCipher.TryReadHeader(oversize, out _, out _));
        BinaryPrimitives.WriteUInt32LittleEndian(oversize.AsSpan(36), (uint)message.Length + 1);
        Assert.False(cipher.TryDecrypt(oversize, new byte[message.Length + 1], out _));
        Assert.False(cipher.TryDecrypt(t, new byte[message.Length - 1], out _));
        byte[] wrongProtocol = (byte[])t.Clone();
        wrongProtocol[0] = 0xFE;
        Assert.False(cipher.TryDecrypt(wrongProtocol, plain, out _));
        byte[] wrongFlags = (byte[])t.Clone();
        wrongFlags[42] = 2;
        Assert.False(cipher.TryDecrypt(wrongFlags, plain, out _));

        // Another key does not decrypt it.
        byte[] otherKey = (byte[])key.Clone();
        otherKey[0] ^= 1;
        using var other = new SmbCipher(id, otherKey);
        Assert.False(other.TryDecrypt(t, plain, out _));
    }

    [Theory]
    [InlineData(CipherId.Aes128Ccm, 11)]
    [InlineData(CipherId.Aes128Gcm, 12)]
    public void Nonces_never_repeat_and_unused_nonce_bytes_are_zero(CipherId id, int nonceLength)
    {
        using var cipher = new SmbCipher(id, new byte[16]);
        byte[] message = new byte[64];
        var seen = new HashSet<string>();
        for (int i = 0; i < 2000; i++)
        {
            byte[] t = Transform(cipher, message, 1);
            Assert.True(seen.Add(Convert.ToHexString(t, 20, 16)), "nonce repeated");
            Assert.All(t.AsSpan(20 + nonceLength, 16 - nonceLength).ToArray(), b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void Two_instances_with_one_key_interoperate_but_do_not_share_nonces()
    {
        byte[] key = new byte[16];
        using var a = new SmbCipher(CipherId.Aes128Gcm, key);
        using var b = new SmbCipher(CipherId.Aes128Gcm, key);
        byte[] message = new byte[80];
        byte[] fromA = Transform(a, message, 9);
        byte[] fromB = Transform(b, message, 9);
        Assert.NotEqual(fromA.AsSpan(20, 12).ToArray(), fromB.AsSpan(20, 12).ToArray());
        byte[] plain = new byte[80];
        Assert.True(b.TryDecrypt(fromA, plain, out _));
        Assert.True(a.TryDecrypt(fromB, plain, out _));
    }

    [Fact]
    public void Wrong_key_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SmbCipher(CipherId.Aes256Gcm, new byte[16]));
        Assert.Throws<ArgumentException>(() => new SmbCipher(CipherId.Aes128Ccm, new byte[32]));
    }
}
