using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>The SMB 3.1.1 preauth integrity chain of Microsoft's published first-channel exchange.</summary>
public class PreauthHashTests
{
    [Fact]
    public void Chain_matches_every_published_intermediate_value()
    {
        var h = new PreauthHash();
        Assert.Equal(new byte[64], h.Value.ToArray());

        h.Update(MicrosoftSmb311Exchange.NegotiateRequest);
        Assert.Equal(Convert.FromHexString(
            "DD94EFC5321BB618A2E208BA8920D2F422992526947A409B5037DE1E0FE8C7362B8C47122594CDE0" +
            "CE26AA9DFC8BCDBDE0621957672623351A7540F1E54A0426"), h.Value.ToArray());

        h.Update(MicrosoftSmb311Exchange.NegotiateResponse);
        Assert.Equal(Convert.FromHexString(
            "324BFA92A4F3A190E466EBEA08D9C110DC88BFED758D9846ECC6F541CC1D02AE3C94A79F36011E99" +
            "7E13F841B91B50957AD07B19C8E2539C0B23FDAE09D2C513"), h.Value.ToArray());

        // The connection's value after NEGOTIATE is what every new session starts from.
        PreauthHash session = h.Clone();
        session.Update(MicrosoftSmb311Exchange.SessionSetupRequest1);
        Assert.Equal(Convert.FromHexString(
            "AC0B0F2B9986257700365E416D142A6EDC96DF03594A19E52A15F6BD0D041CD5D432F8ED42C55E33" +
            "197A50C9EC00F1462B50C592211B1471A04B56088FDFD5F9"), session.Value.ToArray());

        session.Update(MicrosoftSmb311Exchange.SessionSetupResponse1);
        Assert.Equal(Convert.FromHexString(
            "2729E3440DFDDD839E37193F6E8F20C20CEFB3469E453A70CD980EEC06B8835740A7376008563336" +
            "4C8989895ECE81BF102DEEB14D4B7D48AFA76901A7A38387"), session.Value.ToArray());

        session.Update(MicrosoftSmb311Exchange.SessionSetupRequest2);
        Assert.Equal(MicrosoftSmb311Exchange.PreauthHashAfterSetup, session.Value.ToArray());

        // Cloning did not disturb the connection's copy.
        Assert.Equal(Convert.FromHexString(
            "324BFA92A4F3A190E466EBEA08D9C110DC88BFED758D9846ECC6F541CC1D02AE3C94A79F36011E99" +
            "7E13F841B91B50957AD07B19C8E2539C0B23FDAE09D2C513"), h.Value.ToArray());
    }
}
