using Gateway.Smb;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>
/// Key derivation against Microsoft's published vectors: "the anatomy of signing and cryptographic keys"
/// (both channels of the 3.0 and 3.1.1 examples) and the keys of the "Encryption in SMB 3.0" and
/// "SMB 3.1.1 Encryption in Windows 10" blog examples. The blogs name keys from the client's side, so their
/// "EncryptionKey" is our DecryptionKey (client to server) and vice versa.
/// </summary>
public class SmbKeyDerivationTests
{
    [Theory]
    [InlineData("7CD451825D0450D235424E44BA6E78CC", "0B7E9C5CAC36C0F6EA9AB275298CEDCE", "FAD27796665B313EBB578F388632B4F7", "B0F0427F7CEB416D1D9DCC0CD4F99447", "BB23A4575AA26C721AF525AF15A87B4F")]
    public void Smb300_matches_the_anatomy_blog(string sessionKey, string signing, string clientEncryption, string clientDecryption, string application)
    {
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb300, Convert.FromHexString(sessionKey), [], CipherId.Aes128Ccm);
        Assert.Equal(Convert.FromHexString(signing), k.SigningKey);
        Assert.Equal(Convert.FromHexString(clientEncryption), k.DecryptionKey);
        Assert.Equal(Convert.FromHexString(clientDecryption), k.EncryptionKey);
        Assert.Equal(Convert.FromHexString(application), k.ApplicationKey);
    }

    [Fact]
    public void Smb300_second_channel_signing_key_matches()
    {
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb302, Convert.FromHexString("4E01A2B313BCF660CC250BEF021AEDE6"), [], CipherId.Aes128Ccm);
        Assert.Equal(Convert.FromHexString("BA1A17DBBFEC349BCA105563D598952F"), k.SigningKey);
    }

    [Fact]
    public void Smb300_encryption_blog_keys_match()
    {
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb300, Convert.FromHexString("B4546771B515F766A86735532DD6C4F0"), [], CipherId.Aes128Ccm);
        Assert.Equal(Convert.FromHexString("261B72350558F2E9DCF613070383EDBF"), k.DecryptionKey);
        Assert.Equal(Convert.FromHexString("8FE2B57EC34D2DB5B1A9727F526BBDB5"), k.EncryptionKey);
    }

    [Fact]
    public void Smb311_matches_the_anatomy_blog_first_channel()
    {
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb311, MicrosoftSmb311Exchange.SessionKey, MicrosoftSmb311Exchange.PreauthHashAfterSetup, CipherId.Aes128Gcm);
        Assert.Equal(MicrosoftSmb311Exchange.SigningKey, k.SigningKey);
        Assert.Equal(Convert.FromHexString("629BCBC54422A0F572B97F45989B6073"), k.DecryptionKey);
        Assert.Equal(Convert.FromHexString("E2AF0DCEFAC68DA71A0DFBD0D1350D74"), k.EncryptionKey);
        Assert.Equal(Convert.FromHexString("6D7AD7954E9EC61E907B4D473DC178FF"), k.ApplicationKey);
    }

    [Fact]
    public void Smb311_matches_the_anatomy_blog_second_channel_signing_key()
    {
        byte[] preauth = Convert.FromHexString(
            "EA3BF912B11CBFEC5B1889E8209614218687F82FA5294521AD3063425E49E88A10BD022124CE2512" +
            "3BC9111F52D9566BA88BF46344E6063DC5E3FF0389026F6C");
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb311, Convert.FromHexString("84B9DBB730116A8FA6E9889555C265F9"), preauth, CipherId.Aes128Gcm);
        Assert.Equal(Convert.FromHexString("C962BCA1A9DD1697B030644199705431"), k.SigningKey);
    }

    [Fact]
    public void Smb311_encryption_blog_keys_match()
    {
        byte[] preauth = Convert.FromHexString(
            "B23F3CBFD69487D9832B79B1594A367CDD950909B774C3A4C412B4FCEA9EDDDBA7DB256BA2EA30E9" +
            "77F11F9B113247578E0E915C6D2A513B8F2FCA5707DC8770");
        SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb311, Convert.FromHexString("419FDDF34C1E001909D362AE7FB6AF79"), preauth, CipherId.Aes128Gcm);
        Assert.Equal(Convert.FromHexString("A2F5E80E5D59103034F32E52F698E5EC"), k.DecryptionKey);
        Assert.Equal(Convert.FromHexString("748C50868C90F302962A5C35F5F9A8BF"), k.EncryptionKey);
    }

    [Fact]
    public void Smb311_aes256_cipher_keys_are_32_bytes_and_match_impacket()
    {
        // No published AES-256 vector exists; expected values generated once with impacket 0.10.0's
        // crypto.KDF_CounterMode(key, b"SMBS2CCipherKey\0" / b"SMBC2SCipherKey\0", preauth, 256).
        foreach (CipherId cipher in new[] { CipherId.Aes256Ccm, CipherId.Aes256Gcm })
        {
            SessionKeys k = SmbKeyDerivation.Derive(SmbDialect.Smb311, MicrosoftSmb311Exchange.SessionKey, MicrosoftSmb311Exchange.PreauthHashAfterSetup, cipher);
            Assert.Equal(Convert.FromHexString("35952FED051BF2471AF5F7ACC63674B887A54B47AF46959F7CAFF1CE537D7419"), k.EncryptionKey);
            Assert.Equal(Convert.FromHexString("049C27FD8A340262E32C643DEA2BA507AF7A4C085FD2505AEFFCBDEAE6D6D8AB"), k.DecryptionKey);
            Assert.Equal(MicrosoftSmb311Exchange.SigningKey, k.SigningKey); // signing stays AES-128
        }
    }

    [Theory]
    [InlineData(SmbDialect.Smb202)]
    [InlineData(SmbDialect.Smb210)]
    public void Smb2x_signs_with_the_session_key_and_has_no_encryption(SmbDialect dialect)
    {
        byte[] key = Convert.FromHexString("7CD451825D0450D235424E44BA6E78CC");
        SessionKeys k = SmbKeyDerivation.Derive(dialect, key, [], CipherId.Aes128Ccm);
        Assert.Equal(key, k.SigningKey);
        Assert.Equal(key, k.ApplicationKey);
        Assert.Empty(k.EncryptionKey);
        Assert.Empty(k.DecryptionKey);
    }

    [Fact]
    public void Smb311_without_a_preauth_hash_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SmbKeyDerivation.Derive(SmbDialect.Smb311, MicrosoftSmb311Exchange.SessionKey, new byte[10], CipherId.Aes128Gcm));
    }
}
