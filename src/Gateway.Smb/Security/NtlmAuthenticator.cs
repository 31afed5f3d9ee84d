using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>
/// The server side of one NTLM exchange (NEGOTIATE -> CHALLENGE -> AUTHENTICATE), raw or inside SPNEGO.
/// One per SESSION_SETUP exchange; re-created for re-authentication. Not thread-safe (SESSION_SETUP requests of
/// one session are processed one at a time). Step never throws on bad input: malformed or out-of-sequence
/// tokens give InvalidToken, wrong credentials LogonFailure, and after either the exchange is over.
/// </summary>
public sealed class NtlmAuthenticator
{
    private enum Phase
    {
        AwaitNegotiate,
        AwaitNegotiateInResp,
        AwaitAuthenticate,
        Done,
    }

    private readonly ISmbUserDirectory _users;
    private readonly string _netbiosComputerName;
    private readonly string _netbiosDomainName;
    private readonly string _dnsComputerName;
    private readonly string _dnsDomainName;
    private readonly bool _allowAnonymous;
    private readonly Func<byte[]> _challengeSource;
    private readonly Func<long> _fileTimeNow;

    private Phase _phase;
    private bool _spnego;
    private bool _ntlmWasPreferred;
    private byte[]? _mechTypesEncoded;
    private byte[]? _negotiateMessage;
    private byte[]? _challengeMessage;
    private byte[]? _serverChallenge;

    public NtlmAuthenticator(ISmbUserDirectory users, string netbiosComputerName, string netbiosDomainName,
                             string dnsComputerName, bool allowAnonymous = false)
        : this(users, netbiosComputerName, netbiosDomainName, dnsComputerName, allowAnonymous,
               () => RandomNumberGenerator.GetBytes(8), () => DateTime.UtcNow.ToFileTimeUtc())
    {
    }

    /// <summary>Tests pin the server challenge and the clock through this one.</summary>
    internal NtlmAuthenticator(ISmbUserDirectory users, string netbiosComputerName, string netbiosDomainName,
                               string dnsComputerName, bool allowAnonymous, Func<byte[]> challengeSource, Func<long> fileTimeNow)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(netbiosComputerName);
        ArgumentNullException.ThrowIfNull(netbiosDomainName);
        ArgumentNullException.ThrowIfNull(dnsComputerName);
        _users = users;
        _netbiosComputerName = netbiosComputerName;
        _netbiosDomainName = netbiosDomainName;
        _dnsComputerName = dnsComputerName;

        // A workgroup machine reports its own name as the DNS domain; a dotted name carries its domain.
        int dot = dnsComputerName.IndexOf('.');
        _dnsDomainName = dot > 0 && dot < dnsComputerName.Length - 1 ? dnsComputerName[(dot + 1)..] : dnsComputerName;
        _allowAnonymous = allowAnonymous;
        _challengeSource = challengeSource;
        _fileTimeNow = fileTimeNow;
    }

    /// <summary>
    /// Accepts SPNEGO (NegTokenInit or NegTokenResp wrapping NTLMSSP) or a raw NTLMSSP message and answers in
    /// the same wrapping (NegTokenResp accept-incomplete with the CHALLENGE; accept-completed with mechListMIC
    /// when the client sent one; reject on failure). NTLMv2 only (NTLMv1/LM responses: LogonFailure).
    /// </summary>
    public AuthStepResult Step(ReadOnlySpan<byte> token)
    {
        try
        {
            return _phase switch
            {
                Phase.AwaitNegotiate => First(token),
                Phase.AwaitNegotiateInResp => NegotiateInResp(token),
                Phase.AwaitAuthenticate => Second(token),
                _ => Invalid(),
            };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or OverflowException or IndexOutOfRangeException)
        {
            // Defence in depth: the parsers are bounds-checked and should never get here, but a token must
            // not be able to take the connection down with it.
            return Invalid();
        }
    }

    private AuthStepResult First(ReadOnlySpan<byte> token)
    {
        if (token.IsEmpty)
        {
            // A client may start SESSION_SETUP with an empty buffer to have the server speak first.
            return new AuthStepResult(AuthOutcome.Continue, Spnego.NegotiateHint(), null, null, false);
        }

        if (NtlmMessages.IsNtlmssp(token))
        {
            _spnego = false;
            return Challenge(token);
        }

        if (!Spnego.TryParseInit(token, out NegTokenInit? init))
        {
            return Invalid();
        }

        _spnego = true;
        _mechTypesEncoded = init!.MechTypesEncoded;
        int ntlmIndex = init.MechTypes.FindIndex(m => m.AsSpan().SequenceEqual(Spnego.NtlmOid));
        if (ntlmIndex < 0)
        {
            return Reject(AuthOutcome.LogonFailure); // nothing we speak (Kerberos comes later)
        }

        _ntlmWasPreferred = ntlmIndex == 0;
        if (_ntlmWasPreferred && init.MechToken is { Length: > 0 } mechToken)
        {
            return Challenge(mechToken);
        }

        // No NTLM token yet (none at all, or an optimistic one for the client's preferred mechanism, which we do
        // not do): name NTLMSSP and wait for its NEGOTIATE in a NegTokenResp. When NTLMSSP was not first, the
        // mechListMIC exchange becomes mandatory (RFC 4178 5), which _ntlmWasPreferred remembers.
        _phase = Phase.AwaitNegotiateInResp;
        byte[] resp = Spnego.BuildResp(NegState.AcceptIncomplete, Spnego.NtlmOid, [], []);
        return new AuthStepResult(AuthOutcome.Continue, resp, null, null, false);
    }

    private AuthStepResult NegotiateInResp(ReadOnlySpan<byte> token)
    {
        if (!Spnego.TryParseResp(token, out NegTokenResp? resp) || resp!.ResponseToken is not { Length: > 0 } inner)
        {
            return Invalid();
        }

        return Challenge(inner);
    }

    private AuthStepResult Challenge(ReadOnlySpan<byte> negotiate)
    {
        if (!NtlmMessages.TryParseNegotiate(negotiate, out NtlmFlags requested))
        {
            return Invalid();
        }

        _negotiateMessage = negotiate.ToArray();
        _serverChallenge = _challengeSource();
        NtlmFlags flags = NtlmMessages.ChallengeFlags(requested);
        byte[] targetInfo = NtlmMessages.BuildTargetInfo(_netbiosDomainName, _netbiosComputerName, _dnsDomainName, _dnsComputerName, _fileTimeNow());
        _challengeMessage = NtlmMessages.BuildChallenge(flags, _serverChallenge, _netbiosComputerName, targetInfo);
        _phase = Phase.AwaitAuthenticate;

        byte[] response = _spnego
            ? Spnego.BuildResp(NegState.AcceptIncomplete, Spnego.NtlmOid, _challengeMessage, [])
            : (byte[])_challengeMessage.Clone();
        return new AuthStepResult(AuthOutcome.Continue, response, null, null, false);
    }

    private AuthStepResult Second(ReadOnlySpan<byte> token)
    {
        byte[]? mechListMic = null;
        ReadOnlySpan<byte> ntlm;
        if (_spnego)
        {
            if (!Spnego.TryParseResp(token, out NegTokenResp? resp) || resp!.ResponseToken is not { Length: > 0 } inner)
            {
                return Invalid();
            }

            ntlm = inner;
            mechListMic = resp.MechListMic;
        }
        else
        {
            ntlm = token;
        }

        return Authenticate(ntlm, mechListMic);
    }

    private AuthStepResult Authenticate(ReadOnlySpan<byte> message, byte[]? mechListMic)
    {
        if (!NtlmMessages.IsNtlmssp(message))
        {
            return Invalid();
        }

        NtlmVerifyResult verified = NtlmVerification.Verify(_users, _negotiateMessage, _challengeMessage, _serverChallenge, message, _allowAnonymous);
        if (verified.Outcome != AuthOutcome.Success)
        {
            return verified.Outcome == AuthOutcome.InvalidToken ? Invalid() : Reject(verified.Outcome);
        }

        _phase = Phase.Done;
        if (verified.IsAnonymous)
        {
            byte[] anonymousResp = _spnego ? Spnego.BuildResp(NegState.AcceptCompleted, [], [], []) : [];
            return new AuthStepResult(AuthOutcome.Success, anonymousResp, null, null, true);
        }

        byte[] key = verified.ExportedSessionKey!;
        if (!_spnego)
        {
            return new AuthStepResult(AuthOutcome.Success, [], key, verified.User, false);
        }

        // MS-SPNG 3.3.5.1 / RFC 4178 5: the mechListMIC exchange protects the mechanism list. It is required
        // when the client sent one, when NTLM's own MIC is present (Windows then always sends one) or when
        // NTLMSSP was not the client's first choice; a client that should have sent one and did not is refused.
        bool needMic = mechListMic is not null || verified.MicPresent || !_ntlmWasPreferred;
        byte[] serverMic = [];
        if (needMic)
        {
            var context = new NtlmSecurityContext(key, verified.Flags, isServer: true);
            if (mechListMic is not null)
            {
                if (!context.Verify(_mechTypesEncoded, mechListMic))
                {
                    return Reject(AuthOutcome.LogonFailure);
                }
            }
            else if (verified.MicPresent)
            {
                return Reject(AuthOutcome.LogonFailure);
            }

            serverMic = context.Sign(_mechTypesEncoded);
        }

        byte[] resp = Spnego.BuildResp(NegState.AcceptCompleted, [], [], serverMic);
        return new AuthStepResult(AuthOutcome.Success, resp, key, verified.User, false);
    }

    private AuthStepResult Reject(AuthOutcome outcome)
    {
        _phase = Phase.Done;
        byte[] token = _spnego ? Spnego.BuildResp(NegState.Reject, [], [], []) : [];
        return new AuthStepResult(outcome, token, null, null, false);
    }

    private AuthStepResult Invalid()
    {
        _phase = Phase.Done;
        return new AuthStepResult(AuthOutcome.InvalidToken, [], null, null, false);
    }
}
