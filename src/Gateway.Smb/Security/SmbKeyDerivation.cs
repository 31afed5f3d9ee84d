using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>
/// MS-SMB2 3.2.5.3.1 / 3.3.5.5.3 session keys. SMB 3.x uses SP800-108 in counter mode with HMAC-SHA256,
/// r = 32, where the PRF input is [i]2 || Label || 0x00 || Context || [L]2 (the BCL's SP800108HmacCounterKdf
/// inserts that 0x00 itself). MS-SMB2's labels and contexts include their own terminating NUL, so every
/// constant below ends in "\0" and the separator makes a second zero byte; that is what Windows does.
/// </summary>
public static class SmbKeyDerivation
{
    /// <summary>
    /// 2.0.2/2.1: SigningKey = ApplicationKey = sessionKey, no encryption keys (empty arrays).
    /// 3.0/3.0.2: labels "SMB2AESCMAC"/"SmbSign", "SMB2AESCCM"/"ServerIn " and "ServerOut", "SMB2APP"/"SmbRpc".
    /// 3.1.1: "SMBSigningKey", "SMBC2SCipherKey", "SMBS2CCipherKey", "SMBAppKey" with the preauth hash as
    /// context; the cipher keys are 32 bytes for the AES-256 ciphers, else 16.
    /// sessionKey: the first 16 bytes of the GSS session key, except with an AES-256 cipher on 3.1.1 where
    /// MS-SMB2 asks for the full key (Kerberos AES-256: 32 bytes); the caller picks.
    /// </summary>
    public static SessionKeys Derive(SmbDialect dialect, ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> preauthHash, CipherId cipher)
    {
        if (sessionKey.IsEmpty)
        {
            throw new ArgumentException("The session key is empty.", nameof(sessionKey));
        }

        switch (dialect)
        {
            case SmbDialect.Smb202:
            case SmbDialect.Smb210:
            {
                // MS-SMB2 3.3.5.5.3: Session.SessionKey is the first 16 bytes of the GSS key, zero-padded when shorter.
                byte[] key = new byte[16];
                sessionKey[..Math.Min(16, sessionKey.Length)].CopyTo(key);
                return new SessionKeys(key, [], [], (byte[])key.Clone());
            }

            case SmbDialect.Smb300:
            case SmbDialect.Smb302:
                return new SessionKeys(
                    Kdf(sessionKey, "SMB2AESCMAC\0"u8, "SmbSign\0"u8, 16),
                    Kdf(sessionKey, "SMB2AESCCM\0"u8, "ServerOut\0"u8, 16),
                    Kdf(sessionKey, "SMB2AESCCM\0"u8, "ServerIn \0"u8, 16),
                    Kdf(sessionKey, "SMB2APP\0"u8, "SmbRpc\0"u8, 16));

            case SmbDialect.Smb311:
            {
                if (preauthHash.Length != PreauthHash.Size)
                {
                    throw new ArgumentException("SMB 3.1.1 needs the 64-byte preauth integrity hash.", nameof(preauthHash));
                }

                int cipherKeyLength = cipher is CipherId.Aes256Ccm or CipherId.Aes256Gcm ? 32 : 16;
                return new SessionKeys(
                    Kdf(sessionKey, "SMBSigningKey\0"u8, preauthHash, 16),
                    Kdf(sessionKey, "SMBS2CCipherKey\0"u8, preauthHash, cipherKeyLength),
                    Kdf(sessionKey, "SMBC2SCipherKey\0"u8, preauthHash, cipherKeyLength),
                    Kdf(sessionKey, "SMBAppKey\0"u8, preauthHash, 16));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown SMB dialect.");
        }
    }

    /// <summary>SP800-108 counter mode, HMAC-SHA256; L is the output length in bits as the spec writes it.</summary>
    internal static byte[] Kdf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, int lengthInBytes) =>
        SP800108HmacCounterKdf.DeriveBytes(key, HashAlgorithmName.SHA256, label, context, lengthInBytes);
}
