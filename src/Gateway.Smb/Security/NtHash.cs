using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Gateway.Smb.Security;

/// <summary>NTOWFv1 of MS-NLMP 3.3.1: MD4 over the UTF-16LE password. The BCL has no MD4, hence BouncyCastle.</summary>
public static class NtHash
{
    public static byte[] Compute(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] utf16 = Encoding.Unicode.GetBytes(password);
        var md4 = new MD4Digest();
        md4.BlockUpdate(utf16, 0, utf16.Length);
        byte[] hash = new byte[16];
        md4.DoFinal(hash, 0);
        return hash;
    }
}
