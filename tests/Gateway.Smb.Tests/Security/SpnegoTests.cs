using System.Text;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

public class SpnegoTests
{
    [Fact]
    public void NegotiateHint_is_a_NegTokenInit2_listing_NTLMSSP_with_the_ignore_hint()
    {
        // Hand-assembled DER: [APPLICATION 0] { 1.3.6.1.5.5.2, [0] SEQUENCE { [0] SEQUENCE { 1.3.6.1.4.1.311.2.2.10 },
        // [3] SEQUENCE { [0] GeneralString "not_defined_in_RFC4178@please_ignore" } } }.
        byte[] expected = [
            0x60, 0x48, 0x06, 0x06, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x02, 0xA0, 0x3E, 0x30, 0x3C,
            0xA0, 0x0E, 0x30, 0x0C, 0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A,
            0xA3, 0x2A, 0x30, 0x28, 0xA0, 0x26, 0x1B, 0x24, .. Encoding.ASCII.GetBytes("not_defined_in_RFC4178@please_ignore"),
        ];
        byte[] hint = Spnego.NegotiateHint();
        Assert.Equal(expected, hint);

        Assert.True(Spnego.TryParseInit(hint, out NegTokenInit? init));
        Assert.Single(init!.MechTypes);
        Assert.Equal(Spnego.NtlmOid.ToArray(), init.MechTypes[0]);
        Assert.Null(init.MechToken);
        Assert.Null(init.MechListMic);
    }

    [Fact]
    public void Parses_Windows_NegTokenInit_and_NegTokenResp()
    {
        byte[] init = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest1, response: false);
        Assert.True(Spnego.TryParseInit(init, out NegTokenInit? parsed));
        Assert.Equal(Convert.FromHexString("4E544C4D5353500001000000978208E200000000000000000000000000000000060380250000000F"), parsed!.MechToken);

        byte[] resp = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest2, response: false);
        Assert.True(Spnego.TryParseResp(resp, out NegTokenResp? r));
        Assert.Equal(NegState.AcceptIncomplete, r!.State);
        Assert.Null(r.SupportedMech);
        Assert.Equal(0x1A6, r.ResponseToken!.Length);
        Assert.Equal(16, r.MechListMic!.Length);
    }

    [Fact]
    public void Our_challenge_NegTokenResp_is_byte_identical_to_Windows()
    {
        byte[] published = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupResponse1, response: true);
        Assert.True(Spnego.TryParseResp(published, out NegTokenResp? r));
        Assert.Equal(NegState.AcceptIncomplete, r!.State);
        Assert.Equal(Spnego.NtlmOid.ToArray(), r.SupportedMech);
        Assert.Equal(published, Spnego.BuildResp(NegState.AcceptIncomplete, Spnego.NtlmOid, r.ResponseToken, []));
    }

    [Fact]
    public void Reject_and_long_form_lengths_round_trip()
    {
        byte[] reject = Spnego.BuildResp(NegState.Reject, [], [], []);
        Assert.Equal(new byte[] { 0xA1, 0x07, 0x30, 0x05, 0xA0, 0x03, 0x0A, 0x01, 0x02 }, reject);

        byte[] big = new byte[70000];
        new Random(1).NextBytes(big);
        byte[] token = Spnego.BuildResp(null, [], big, [1, 2, 3]);
        Assert.True(Spnego.TryParseResp(token, out NegTokenResp? r));
        Assert.Null(r!.State);
        Assert.Equal(big, r.ResponseToken);
        Assert.Equal(new byte[] { 1, 2, 3 }, r.MechListMic);
    }

    [Theory]
    [InlineData("")]
    [InlineData("60")]
    [InlineData("6000")]
    [InlineData("6080")]                      // indefinite length (BER only)
    [InlineData("6085FFFFFFFFFF")]            // five length octets
    [InlineData("6084FFFFFFFF")]              // longer than the token
    [InlineData("600806062B0601050503A000")] // wrong mechanism OID
    [InlineData("600A06062B0601050502A000")] // [0] without the NegTokenInit SEQUENCE
    [InlineData("600C06062B0601050502A0023000")] // SEQUENCE without mechTypes
    [InlineData("600E06062B0601050502A0043002A100")] // fields out of order / wrong
    [InlineData("601006062B0601050502A0063004A0023000FF")] // trailing garbage inside
    public void Malformed_init_tokens_are_refused(string hex)
    {
        byte[] token = Convert.FromHexString(hex);
        Assert.False(Spnego.TryParseInit(token, out _));
    }

    [Theory]
    [InlineData("A1")]
    [InlineData("A100")]
    [InlineData("A1023000A0")]
    [InlineData("A1053003A0010A")]         // truncated ENUMERATED
    [InlineData("A1073005A0030A0109")]     // negState out of range
    [InlineData("A10A3008A2030401FFA0010A")] // fields out of order
    [InlineData("A1083006A2040403FFFF")]    // OCTET STRING length past its field
    public void Malformed_resp_tokens_are_refused(string hex)
    {
        Assert.False(Spnego.TryParseResp(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void Deep_nesting_stops_at_the_depth_limit()
    {
        // 200 nested [0] constructed elements with definite lengths.
        byte[] inner = [];
        for (int i = 0; i < 200; i++)
        {
            byte[] header = inner.Length < 0x80 ? [0xA0, (byte)inner.Length] : [0xA0, 0x82, (byte)(inner.Length >> 8), (byte)inner.Length];
            inner = [.. header, .. inner];
        }

        var reader = new DerReader(inner);
        int depth = 0;
        while (reader.TryReadConstructed(0xA0, out DerReader next))
        {
            reader = next;
            depth++;
        }

        Assert.Equal(DerReader.MaxDepth, depth);
        Assert.False(Spnego.TryParseInit([0x60, 0x82, (byte)(inner.Length >> 8), (byte)inner.Length, .. inner], out _));
        Assert.False(Spnego.TryParseResp([0xA1, 0x82, (byte)(inner.Length >> 8), (byte)inner.Length, .. inner], out _));
    }
}
