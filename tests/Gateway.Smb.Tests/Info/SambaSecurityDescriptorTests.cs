using Gateway.Smb.Info;
using Gateway.Smb.Tests.DceRpc;
using Gateway.Vfs;

namespace Gateway.Smb.Tests.Info;

/// <summary>Our descriptors read by Samba's own NDR (python3-samba) and printed as SDDL.</summary>
public class SambaSecurityDescriptorTests
{
    private const string ToSddl = """
        import sys, binascii
        from samba.ndr import ndr_unpack
        from samba.dcerpc import security
        for line in sys.stdin.read().split():
            sd = ndr_unpack(security.descriptor, binascii.unhexlify(line))
            print(sd.as_sddl())
        """;

    [Fact]
    public void SambaReadsOurDescriptors()
    {
        var a644 = TestNodes.File(0x1A4);
        var d755 = TestNodes.Directory(0x1ED);
        var f600 = TestNodes.File(0x180);
        string input = string.Join("\n", new[]
        {
            Hex(7, a644), Hex(7, d755), Hex(7, f600), Hex(1, a644), Hex(4, a644),
        });
        string[] sddl = Python.Run(ToSddl, input).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "O:S-1-22-1-1000G:S-1-22-2-100D:(A;;0x001f019f;;;S-1-22-1-1000)(A;;0x00120089;;;S-1-22-2-100)(A;;0x00120089;;;WD)(A;;0x001f01ff;;;SY)(A;;0x001f01ff;;;BA)",
                "O:S-1-22-1-1000G:S-1-22-2-100D:(A;;0x001f01ff;;;S-1-22-1-1000)(A;;0x001200a9;;;S-1-22-2-100)(A;;0x001200a9;;;WD)(A;;0x001f01ff;;;SY)(A;;0x001f01ff;;;BA)",
                "O:S-1-22-1-1000G:S-1-22-2-100D:(A;;0x001f019f;;;S-1-22-1-1000)(A;;0x001f01ff;;;SY)(A;;0x001f01ff;;;BA)",
                "O:S-1-22-1-1000",
                "D:(A;;0x001f019f;;;S-1-22-1-1000)(A;;0x00120089;;;S-1-22-2-100)(A;;0x00120089;;;WD)(A;;0x001f01ff;;;SY)(A;;0x001f01ff;;;BA)",
            ],
            sddl);
    }

    private static string Hex(uint info, VfsAttributes a)
    {
        var buffer = new byte[512];
        int n = SecurityDescriptorEncoder.Encode(info, a, buffer);
        return Convert.ToHexString(buffer, 0, n);
    }

    private const string FromSddl = """
        import sys, binascii
        from samba.ndr import ndr_pack
        from samba.dcerpc import security
        domain = security.dom_sid('S-1-5-21-1-2-3')
        for line in sys.stdin.read().split('\n'):
            if line:
                print(binascii.hexlify(ndr_pack(security.descriptor.from_sddl(line, domain))).decode())
        """;

    // Descriptors as Samba's SDDL parser packs them: what a client setting permissions would send.
    [Theory]
    [InlineData("D:(A;;FA;;;S-1-22-1-1000)(A;;0x1200a9;;;S-1-22-2-100)(A;;FR;;;WD)", 0x1ECu)]                 // 0754
    [InlineData("O:S-1-22-1-1000D:P(A;OICI;FA;;;S-1-22-1-1000)(A;OICIIO;FA;;;WD)", 0x1C0u)]                    // 0700: inherit-only ignored
    [InlineData("D:(D;;FW;;;WD)(A;;FA;;;WD)(A;;GA;;;CO)(A;;GR;;;CG)", 0x1E5u)]                                // 0745: deny first wins
    [InlineData("O:S-1-22-1-1000G:S-1-22-2-100D:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;S-1-5-21-1-2-3-1000)", null)] // nothing we can map
    public void SambaBuiltDescriptorsDecode(string sddl, uint? expectedMode)
    {
        byte[] sd = Convert.FromHexString(Python.Run(FromSddl, sddl + "\n").Trim());
        Assert.Equal(expectedMode, SecurityDescriptorEncoder.TryDecodeMode(sd, 0x1A4));
    }
}
