using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>Byte-exact NTLM vectors: MS-NLMP 4.2.2/4.2.4 and Microsoft's published SMB 3.1.1 sign-in.</summary>
public class NtlmVectorTests
{
    // MS-NLMP 4.2.1 common values.
    private static readonly byte[] ServerChallenge = Convert.FromHexString("0123456789abcdef");
    private static readonly byte[] RandomSessionKey = Convert.FromHexString("55555555555555555555555555555555");

    // MS-NLMP 4.2.4.3: the CHALLENGE_MESSAGE and AUTHENTICATE_MESSAGE of the NTLMv2 example.
    private static readonly byte[] Nlmp424Challenge = Convert.FromHexString(
        "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000" +
        "060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c00530065007200760065" +
        "00720000000000");

    private static readonly byte[] Nlmp424Authenticate = Convert.FromHexString(
        "4e544c4d5353500003000000180018006c00000054005400840000000c000c00480000000800080054000000100010005c" +
        "00000010001000d8000000358288e20501280a0000000f44006f006d00610069006e00550073006500720043004f004d00" +
        "5000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa68cd0ab851e51c96aabc927bebef6a1c" +
        "01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c0053" +
        "00650072007600650072000000000000000000c5dad2544fc9799094ce1ce90bc9d03e");

    [Fact]
    public void NtHash_matches_MS_NLMP_4_2_2_1_2()
    {
        Assert.Equal(Convert.FromHexString("a4f49c406510bdcab6824ee7c30fd852"), NtHash.Compute("Password"));
    }

    [Fact]
    public void NtHash_matches_Microsofts_SMB311_sign_in()
    {
        Assert.Equal(Convert.FromHexString("7C4FE5EADA682714A036E39378362BAB"), NtHash.Compute(MicrosoftSmb311Exchange.Password));
    }

    [Fact]
    public void NtowfV2_matches_MS_NLMP_4_2_4_1_1()
    {
        byte[] key = NtlmCrypto.NtowfV2(NtHash.Compute("Password"), "User", "Domain");
        Assert.Equal(Convert.FromHexString("0c868a403bfd7a93a3001ef22ef02e3f"), key);
        // The user name is upper-cased, the domain is not.
        Assert.Equal(key, NtlmCrypto.NtowfV2(NtHash.Compute("Password"), "user", "Domain"));
        Assert.NotEqual(key, NtlmCrypto.NtowfV2(NtHash.Compute("Password"), "User", "DOMAIN"));
    }

    [Fact]
    public void NtProofStr_session_base_key_and_encrypted_key_match_MS_NLMP_4_2_4()
    {
        byte[] responseKey = Convert.FromHexString("0c868a403bfd7a93a3001ef22ef02e3f");
        byte[] temp = Convert.FromHexString(
            "01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000" +
            "02000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000");
        byte[] proof = NtlmCrypto.NtProofStr(responseKey, ServerChallenge, temp);
        Assert.Equal(Convert.FromHexString("68cd0ab851e51c96aabc927bebef6a1c"), proof);

        byte[] sessionBaseKey = NtlmCrypto.HmacMd5(responseKey, proof);
        Assert.Equal(Convert.FromHexString("8de40ccadbc14a82f15cb0ad0de95ca3"), sessionBaseKey);

        Assert.Equal(Convert.FromHexString("c5dad2544fc9799094ce1ce90bc9d03e"), NtlmCrypto.Rc4(sessionBaseKey, RandomSessionKey));
    }

    [Fact]
    public void Server_accepts_the_MS_NLMP_4_2_4_3_authenticate_message()
    {
        var users = new TestUsers(("User", "Password"));
        NtlmVerifyResult r = NtlmVerification.Verify(users, [], Nlmp424Challenge, ServerChallenge, Nlmp424Authenticate, allowAnonymous: false);
        Assert.Equal(AuthOutcome.Success, r.Outcome);
        Assert.Equal(RandomSessionKey, r.ExportedSessionKey);
        Assert.Equal("User", r.User!.Name);
        Assert.False(r.MicPresent);
    }

    [Fact]
    public void Server_refuses_the_MS_NLMP_4_2_4_3_message_for_another_challenge_or_password()
    {
        var users = new TestUsers(("User", "Password"));
        byte[] otherChallenge = Convert.FromHexString("0123456789abcdee");
        Assert.Equal(AuthOutcome.LogonFailure, NtlmVerification.Verify(users, [], Nlmp424Challenge, otherChallenge, Nlmp424Authenticate, false).Outcome);
        var wrong = new TestUsers(("User", "password"));
        Assert.Equal(AuthOutcome.LogonFailure, NtlmVerification.Verify(wrong, [], Nlmp424Challenge, ServerChallenge, Nlmp424Authenticate, false).Outcome);
        var nobody = new TestUsers(("Someone", "Password"));
        Assert.Equal(AuthOutcome.LogonFailure, NtlmVerification.Verify(nobody, [], Nlmp424Challenge, ServerChallenge, Nlmp424Authenticate, false).Outcome);
    }

    [Fact]
    public void Sign_and_seal_keys_match_MS_NLMP_4_2_4_4()
    {
        const NtlmFlags flags = (NtlmFlags)0xE28A8233; // the 4.2.4 challenge flags
        Assert.Equal(Convert.FromHexString("4788dc861b4782f35d43fd98fe1a2d39"), NtlmCrypto.SignKey(RandomSessionKey, clientToServer: true));
        Assert.Equal(Convert.FromHexString("59f600973cc4960a25480a7c196e4c58"), NtlmCrypto.SealKey(RandomSessionKey, flags, clientToServer: true));
    }

    [Fact]
    public void GSS_WrapEx_matches_MS_NLMP_4_2_4_4()
    {
        // "Plaintext" in UTF-16LE, sealed with the client's handle, then signed with the same, continuing handle.
        const NtlmFlags flags = (NtlmFlags)0xE28A8233;
        byte[] plaintext = System.Text.Encoding.Unicode.GetBytes("Plaintext");
        var client = new NtlmSecurityContext(RandomSessionKey, flags, isServer: false);
        byte[] sealedData = (byte[])plaintext.Clone();
        client.SealOutgoing(sealedData);
        Assert.Equal(Convert.FromHexString("54e50165bf1936dc996020c1811b0f06fb5f"), sealedData);
        Assert.Equal(Convert.FromHexString("010000007fb38ec5c55d497600000000"), client.Sign(plaintext));
    }

    [Fact]
    public void Microsofts_SMB311_sign_in_verifies_with_MIC_and_gives_the_published_session_key()
    {
        byte[] negotiateToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest1, response: false);
        byte[] challengeToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupResponse1, response: true);
        byte[] authToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest2, response: false);
        Assert.True(Spnego.TryParseInit(negotiateToken, out NegTokenInit? init));
        Assert.True(Spnego.TryParseResp(challengeToken, out NegTokenResp? challengeResp));
        Assert.True(Spnego.TryParseResp(authToken, out NegTokenResp? authResp));
        byte[] negotiate = init!.MechToken!;
        byte[] challenge = challengeResp!.ResponseToken!;
        byte[] authenticate = authResp!.ResponseToken!;

        var users = new TestUsers(("Administrator", MicrosoftSmb311Exchange.Password));
        byte[] serverChallenge = challenge.AsSpan(24, 8).ToArray();
        Assert.Equal(Convert.FromHexString("0D1D8BA31179D008"), serverChallenge);
        NtlmVerifyResult r = NtlmVerification.Verify(users, negotiate, challenge, serverChallenge, authenticate, false);

        Assert.Equal(AuthOutcome.Success, r.Outcome);
        Assert.True(r.MicPresent);
        Assert.Equal(MicrosoftSmb311Exchange.SessionKey, r.ExportedSessionKey);

        // The blog's remaining NTLM keys.
        Assert.Equal(Convert.FromHexString("D43F36C44BCE0630250A09EA0C2E8C2C"), NtlmCrypto.SignKey(r.ExportedSessionKey, clientToServer: true));
        Assert.Equal(Convert.FromHexString("E1BD8B416B0B709D295E12F2CF18E6C5"), NtlmCrypto.SignKey(r.ExportedSessionKey, clientToServer: false));
        Assert.Equal(Convert.FromHexString("31E5557D99BE13F1B2665C7C7C52CE70"), NtlmCrypto.SealKey(r.ExportedSessionKey, r.Flags, clientToServer: true));
        Assert.Equal(Convert.FromHexString("B0F5A0B32C81FF34A878E1409B3B0EF2"), NtlmCrypto.SealKey(r.ExportedSessionKey, r.Flags, clientToServer: false));

        // A MIC that no longer matches the messages is a logon failure, not a crash.
        byte[] tampered = (byte[])authenticate.Clone();
        tampered[NtlmMessages.MicOffset] ^= 1;
        Assert.Equal(AuthOutcome.LogonFailure, NtlmVerification.Verify(users, negotiate, challenge, serverChallenge, tampered, false).Outcome);
        byte[] otherNegotiate = (byte[])negotiate.Clone();
        otherNegotiate[12] ^= 0x20;
        Assert.Equal(AuthOutcome.LogonFailure, NtlmVerification.Verify(users, otherNegotiate, challenge, serverChallenge, authenticate, false).Outcome);
    }

    [Fact]
    public void Microsofts_SMB311_mechListMICs_verify_and_ours_is_byte_identical()
    {
        byte[] negotiateToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest1, response: false);
        byte[] authToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupRequest2, response: false);
        byte[] finalToken = MicrosoftSmb311Exchange.SecurityBuffer(MicrosoftSmb311Exchange.SessionSetupResponse2, response: true);
        Assert.True(Spnego.TryParseInit(negotiateToken, out NegTokenInit? init));
        Assert.True(Spnego.TryParseResp(authToken, out NegTokenResp? authResp));
        Assert.Equal(Convert.FromHexString("300C060A2B06010401823702020A"), init!.MechTypesEncoded);
        Assert.Equal(Convert.FromHexString("0100000063775A9A5FD97F0600000000"), authResp!.MechListMic);

        const NtlmFlags flags = (NtlmFlags)0xE2888215; // the AUTHENTICATE's flags
        var server = new NtlmSecurityContext(MicrosoftSmb311Exchange.SessionKey, flags, isServer: true);
        Assert.True(server.Verify(init.MechTypesEncoded, authResp.MechListMic));
        byte[] serverMic = server.Sign(init.MechTypesEncoded);
        Assert.Equal(Convert.FromHexString("010000003B453CDC3524164200000000"), serverMic);

        // And the whole final token, built by us, is what Windows sent.
        Assert.Equal(finalToken, Spnego.BuildResp(NegState.AcceptCompleted, [], [], serverMic));
    }

    [Fact]
    public void Impacket_type3_against_the_MS_NLMP_challenge_verifies()
    {
        // Generated once with impacket 0.10.0 (ntlm.getNTLMSSPType1('COMPUTER','Domain', signingRequired=True),
        // ntlm.getNTLMSSPType3(t1, <MS-NLMP 4.2.4.3 challenge>, 'User', 'Password', 'Domain')): an independent
        // client's AUTHENTICATE (64-byte header: no Version, no MIC) and the session key it exported.
        byte[] t3 = Convert.FromHexString(
            "4E544C4D535350000300000018001800640000007A007A007C0000000C000C0040000000080008004C0000001000100054" +
            "00000010001000F6000000358288E044006F006D00610069006E00550073006500720043004F004D005000550054004500" +
            "5200856E46C50AEDACF50E1C7EEDB15CDD3A435262746F5A4F32992B27A8EAE421804BFD81ED6124579B01010000000000" +
            "00808C79C6527CDD01435262746F5A4F320000000002000C0044006F006D00610069006E0001000C005300650072007600" +
            "650072000900160063006900660073002F0053006500720076006500720007000800808C79C6527CDD0100000000000000" +
            "00B4551D001AA358B7DF901F5D49445AA8");
        byte[] t1 = Convert.FromHexString("4E544C4D5353500001000000358288E000000000000000000000000000000000");
        var users = new TestUsers(("user", "Password"));
        NtlmVerifyResult r = NtlmVerification.Verify(users, t1, Nlmp424Challenge, ServerChallenge, t3, false);
        Assert.Equal(AuthOutcome.Success, r.Outcome);
        Assert.Equal(Convert.FromHexString("675A616C5776316239674B4156707541"), r.ExportedSessionKey);
    }
}
