using Gateway.Smb.Security;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Security;

/// <summary>Whole NEGOTIATE -> CHALLENGE -> AUTHENTICATE exchanges between NtlmClient and NtlmAuthenticator.</summary>
public class NtlmExchangeTests
{
    private static readonly TestUsers Users = new(("alice", "Secret-1"), ("Bob", "pässwörd"));

    private static NtlmAuthenticator NewServer(bool allowAnonymous = false) =>
        new(Users, "GATEWAY", "WORKGROUP", "gateway.example.test", allowAnonymous);

    /// <summary>Runs the exchange; returns the final server result and the client.</summary>
    private static AuthStepResult Run(NtlmClient client, NtlmAuthenticator server, out AuthStepResult? challengeStep)
    {
        AuthStepResult step = server.Step(client.CreateInitialToken());
        challengeStep = step;
        for (int round = 0; round < 3 && step.Outcome == AuthOutcome.Continue; round++)
        {
            step = server.Step(client.CreateResponse(step.ResponseToken));
        }

        return step;
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, true, false)]
    [InlineData(true, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(false, false, false)]
    public void Right_password_succeeds_with_equal_session_keys(bool spnego, bool keyExchange, bool mic)
    {
        var client = new NtlmClient("alice", "Secret-1", "WORKGROUP") { UseSpnego = spnego, KeyExchange = keyExchange, SendMic = mic };
        AuthStepResult result = Run(client, NewServer(), out _);

        Assert.Equal(AuthOutcome.Success, result.Outcome);
        Assert.False(result.IsAnonymous);
        Assert.Equal("alice", result.User!.Name);
        Assert.Equal(16, result.SessionKey!.Length);
        Assert.Equal(client.SessionKey, result.SessionKey);
        Assert.True(client.VerifyFinalToken(result.ResponseToken, out bool hadMechListMic));
        Assert.Equal(spnego && mic, hadMechListMic);
    }

    [Fact]
    public void Challenge_carries_the_flags_and_target_info_clients_expect()
    {
        var client = new NtlmClient("alice", "Secret-1") { UseSpnego = false };
        AuthStepResult step = NewServer().Step(client.CreateInitialToken());
        Assert.Equal(AuthOutcome.Continue, step.Outcome);
        byte[] challenge = step.ResponseToken;
        Assert.Equal(2u, BitConverter.ToUInt32(challenge, 8));
        var flags = (NtlmFlags)BitConverter.ToUInt32(challenge, 20);
        foreach (NtlmFlags required in new[] { NtlmFlags.Negotiate128, NtlmFlags.Negotiate56, NtlmFlags.Version, NtlmFlags.KeyExchange,
                     NtlmFlags.ExtendedSessionSecurity, NtlmFlags.TargetInfo, NtlmFlags.Unicode, NtlmFlags.Sign, NtlmFlags.Seal })
        {
            Assert.True((flags & required) == required, $"{required} missing from {flags}");
        }

        int infoLength = BitConverter.ToUInt16(challenge, 40);
        int infoOffset = BitConverter.ToInt32(challenge, 44);
        ReadOnlySpan<byte> info = challenge.AsSpan(infoOffset, infoLength);
        Assert.True(NtlmMessages.TryFindAvPair(info, AvId.NbComputerName, out bool found, out ReadOnlySpan<byte> name) && found);
        Assert.Equal("GATEWAY", System.Text.Encoding.Unicode.GetString(name));
        Assert.True(NtlmMessages.TryFindAvPair(info, AvId.DnsComputerName, out found, out name) && found);
        Assert.Equal("gateway.example.test", System.Text.Encoding.Unicode.GetString(name));
        Assert.True(NtlmMessages.TryFindAvPair(info, AvId.DnsDomainName, out found, out name) && found);
        Assert.Equal("example.test", System.Text.Encoding.Unicode.GetString(name));
        Assert.True(NtlmMessages.TryFindAvPair(info, AvId.Timestamp, out found, out ReadOnlySpan<byte> time) && found);
        long fileTime = BitConverter.ToInt64(time);
        Assert.InRange(DateTime.FromFileTimeUtc(fileTime), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        // Without KEY_EXCH in the NEGOTIATE, the CHALLENGE does not offer it.
        var noKx = new NtlmClient("alice", "Secret-1") { UseSpnego = false, KeyExchange = false };
        byte[] c2 = NewServer().Step(noKx.CreateInitialToken()).ResponseToken;
        Assert.Equal(0u, BitConverter.ToUInt32(c2, 20) & (uint)NtlmFlags.KeyExchange);

        // Two exchanges never share a server challenge.
        Assert.NotEqual(challenge.AsSpan(24, 8).ToArray(), c2.AsSpan(24, 8).ToArray());
    }

    [Fact]
    public void User_name_is_case_insensitive_and_domain_may_be_empty_or_anything()
    {
        foreach (string domain in new[] { "", "WORKGROUP", "some.other.domain", "wOrKgRoUp" })
        {
            var client = new NtlmClient("BOB", "pässwörd", domain);
            AuthStepResult result = Run(client, NewServer(), out _);
            Assert.Equal(AuthOutcome.Success, result.Outcome);
            Assert.Equal("Bob", result.User!.Name);
            Assert.Equal(client.SessionKey, result.SessionKey);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Wrong_password_and_unknown_user_fail_with_logon_failure(bool spnego)
    {
        AuthStepResult wrong = Run(new NtlmClient("alice", "secret-1") { UseSpnego = spnego }, NewServer(), out _);
        Assert.Equal(AuthOutcome.LogonFailure, wrong.Outcome);
        Assert.Null(wrong.SessionKey);
        Assert.Null(wrong.User);

        AuthStepResult unknown = Run(new NtlmClient("mallory", "Secret-1") { UseSpnego = spnego }, NewServer(), out _);
        Assert.Equal(AuthOutcome.LogonFailure, unknown.Outcome);
        Assert.Null(unknown.SessionKey);

        if (spnego)
        {
            Assert.True(Spnego.TryParseResp(wrong.ResponseToken, out NegTokenResp? r));
            Assert.Equal(NegState.Reject, r!.State);
        }
    }

    [Fact]
    public void Tampered_NTLM_MIC_fails()
    {
        var client = new NtlmClient("alice", "Secret-1") { TamperAuthenticate = m => m[NtlmMessages.MicOffset + 3] ^= 0x40 };
        Assert.Equal(AuthOutcome.LogonFailure, Run(client, NewServer(), out _).Outcome);
    }

    [Fact]
    public void Tampered_flags_covered_by_the_MIC_fail()
    {
        // Dropping SEAL from the AUTHENTICATE's flags after the MIC was computed: the MIC no longer matches.
        var client = new NtlmClient("alice", "Secret-1") { TamperAuthenticate = m => m[60] &= 0xDF };
        Assert.Equal(AuthOutcome.LogonFailure, Run(client, NewServer(), out _).Outcome);
    }

    [Fact]
    public void Tampered_or_missing_mechListMIC_fails()
    {
        var tampered = new NtlmClient("alice", "Secret-1") { TamperMechListMic = m => m[5] ^= 1 };
        Assert.Equal(AuthOutcome.LogonFailure, Run(tampered, NewServer(), out _).Outcome);

        // The NTLM MIC is there but the SPNEGO mechListMIC was stripped: a downgrade, refused.
        var stripped = new NtlmClient("alice", "Secret-1") { OmitMechListMic = true };
        Assert.Equal(AuthOutcome.LogonFailure, Run(stripped, NewServer(), out _).Outcome);
    }

    [Fact]
    public void Kerberos_listed_first_gets_NTLMSSP_selected_then_completes_with_mechListMIC()
    {
        var client = new NtlmClient("alice", "Secret-1") { OfferKerberosFirst = true };
        var server = NewServer();
        AuthStepResult first = server.Step(client.CreateInitialToken());
        Assert.Equal(AuthOutcome.Continue, first.Outcome);
        Assert.True(Spnego.TryParseResp(first.ResponseToken, out NegTokenResp? r));
        Assert.Equal(NegState.AcceptIncomplete, r!.State);
        Assert.Equal(Spnego.NtlmOid.ToArray(), r.SupportedMech);
        Assert.Null(r.ResponseToken);

        AuthStepResult second = server.Step(client.CreateResponse(first.ResponseToken));
        Assert.Equal(AuthOutcome.Continue, second.Outcome);
        AuthStepResult last = server.Step(client.CreateResponse(second.ResponseToken));
        Assert.Equal(AuthOutcome.Success, last.Outcome);
        Assert.True(client.VerifyFinalToken(last.ResponseToken, out bool hadMic));
        Assert.True(hadMic);
    }

    [Fact]
    public void NTLMSSP_first_without_a_token_is_asked_for_one()
    {
        // An initial NegTokenInit listing only NTLMSSP but carrying no mechToken.
        byte[] init = Spnego.BuildInit(Spnego.EncodeMechTypes([Spnego.NtlmOid.ToArray()]), [], []);
        var server = NewServer();
        AuthStepResult first = server.Step(init);
        Assert.Equal(AuthOutcome.Continue, first.Outcome);
        Assert.True(Spnego.TryParseResp(first.ResponseToken, out NegTokenResp? r));
        Assert.Equal(Spnego.NtlmOid.ToArray(), r!.SupportedMech);
        Assert.Null(r.ResponseToken);
        // Anything but a NegTokenResp carrying the NEGOTIATE now is invalid.
        Assert.Equal(AuthOutcome.InvalidToken, server.Step(init).Outcome);
    }

    [Fact]
    public void Anonymous_only_when_allowed()
    {
        AuthStepResult refused = Run(new NtlmClient("", "") { Anonymous = true }, NewServer(), out _);
        Assert.Equal(AuthOutcome.LogonFailure, refused.Outcome);

        AuthStepResult allowed = Run(new NtlmClient("", "") { Anonymous = true }, NewServer(allowAnonymous: true), out _);
        Assert.Equal(AuthOutcome.Success, allowed.Outcome);
        Assert.True(allowed.IsAnonymous);
        Assert.Null(allowed.User);
        Assert.Null(allowed.SessionKey);
    }

    [Fact]
    public void NTLMv1_response_is_a_logon_failure()
    {
        // Replace the NTLMv2 response by 24 bytes (an NTLMv1-sized answer) before sending.
        var client = new NtlmClient("alice", "Secret-1") { UseSpnego = false, SendMic = false, TamperAuthenticate = m => BitConverter.GetBytes((ushort)24).CopyTo(m, 20) };
        Assert.Equal(AuthOutcome.LogonFailure, Run(client, NewServer(), out _).Outcome);
    }

    [Fact]
    public void Out_of_sequence_tokens_are_invalid()
    {
        var client = new NtlmClient("alice", "Secret-1");
        var server = NewServer();
        AuthStepResult challenge = server.Step(client.CreateInitialToken());
        // A second NEGOTIATE where the AUTHENTICATE belongs.
        Assert.Equal(AuthOutcome.InvalidToken, server.Step(client.CreateInitialToken()).Outcome);
        // Anything after the exchange ended.
        Assert.Equal(AuthOutcome.InvalidToken, server.Step(client.CreateResponse(challenge.ResponseToken)).Outcome);

        // An AUTHENTICATE as the first message.
        var other = new NtlmClient("alice", "Secret-1") { UseSpnego = false };
        byte[] auth = (byte[])other.CreateResponse(NewServer().Step(other.CreateInitialToken()).ResponseToken).Clone();
        Assert.Equal(AuthOutcome.InvalidToken, NewServer().Step(auth).Outcome);
    }

    [Fact]
    public void Replaying_an_authenticate_to_a_new_exchange_fails()
    {
        var client = new NtlmClient("alice", "Secret-1") { UseSpnego = false };
        var first = NewServer();
        byte[] auth = client.CreateResponse(first.Step(client.CreateInitialToken()).ResponseToken);
        Assert.Equal(AuthOutcome.Success, first.Step(auth).Outcome);

        var second = NewServer();
        second.Step(client.CreateInitialToken());
        Assert.Equal(AuthOutcome.LogonFailure, second.Step(auth).Outcome);
    }

    [Fact]
    public void Empty_first_token_gets_the_negotiate_hint()
    {
        AuthStepResult r = NewServer().Step([]);
        Assert.Equal(AuthOutcome.Continue, r.Outcome);
        Assert.Equal(Spnego.NegotiateHint(), r.ResponseToken);
    }
}
