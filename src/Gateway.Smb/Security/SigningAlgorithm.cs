namespace Gateway.Smb.Security;

/// <summary>SMB2_SIGNING_CAPABILITIES algorithm ids (MS-SMB2 2.2.3.1.7).</summary>
public enum SigningAlgorithm : ushort
{
    HmacSha256 = 0,
    AesCmac = 1,
    AesGmac = 2,
}
