namespace Gateway.Smb.Security;

/// <summary>SMB2_ENCRYPTION_CAPABILITIES cipher ids (MS-SMB2 2.2.3.1.2).</summary>
public enum CipherId : ushort
{
    Aes128Ccm = 1,
    Aes128Gcm = 2,
    Aes256Ccm = 3,
    Aes256Gcm = 4,
}
