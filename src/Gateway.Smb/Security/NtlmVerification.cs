using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>What checking an AUTHENTICATE_MESSAGE produced.</summary>
internal readonly record struct NtlmVerifyResult(
    AuthOutcome Outcome,
    byte[]? ExportedSessionKey,
    SmbUser? User,
    bool IsAnonymous,
    NtlmFlags Flags,
    bool MicPresent);

/// <summary>
/// The server half of MS-NLMP 3.2.5.1.2 for NTLMv2, as a pure function of the three messages so that the
/// published exchanges can be replayed through it byte for byte.
/// </summary>
internal static class NtlmVerification
{
    private const int NtProofSize = 16;
    private const int ClientChallengeFixedSize = 28; // RespType, HiRespType, Reserved1/2, TimeStamp, ChallengeFromClient, Reserved3
    private const uint AvFlagMicPresent = 0x2;

    public static NtlmVerifyResult Verify(
        ISmbUserDirectory users,
        ReadOnlySpan<byte> negotiateMessage,
        ReadOnlySpan<byte> challengeMessage,
        ReadOnlySpan<byte> serverChallenge,
        ReadOnlySpan<byte> authenticateMessage,
        bool allowAnonymous)
    {
        if (!NtlmMessages.TryParseAuthenticate(authenticateMessage, out NtlmAuthenticate auth))
        {
            return Fail(AuthOutcome.InvalidToken);
        }

        // Anonymous (MS-NLMP 3.2.5.1.2): empty user, empty NT response, LM empty or a single zero byte.
        if (auth.User.Length == 0 && auth.NtResponse.IsEmpty && (auth.LmResponse.IsEmpty || (auth.LmResponse.Length == 1 && auth.LmResponse[0] == 0)))
        {
            return allowAnonymous
                ? new NtlmVerifyResult(AuthOutcome.Success, null, null, true, auth.Flags, false)
                : Fail(AuthOutcome.LogonFailure);
        }

        // NTLMv1 answers are exactly 24 bytes; anything shorter than the v2 fixed part cannot be v2 either.
        if (auth.NtResponse.Length < NtProofSize + ClientChallengeFixedSize + 4)
        {
            return Fail(AuthOutcome.LogonFailure);
        }

        ReadOnlySpan<byte> ntProof = auth.NtResponse[..NtProofSize];
        ReadOnlySpan<byte> temp = auth.NtResponse[NtProofSize..];
        if (temp[0] != 1 || temp[1] != 1)
        {
            return Fail(AuthOutcome.LogonFailure); // RespType/HiRespType must be 1
        }

        if (!NtlmMessages.TryFindAvPair(temp[ClientChallengeFixedSize..], AvId.Flags, out bool hasFlags, out ReadOnlySpan<byte> avFlags)
            || (hasFlags && avFlags.Length != 4))
        {
            return Fail(AuthOutcome.InvalidToken);
        }

        bool micPresent = hasFlags && (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(avFlags) & AvFlagMicPresent) != 0;
        if (micPresent && auth.PayloadStart < NtlmMessages.MicOffset + NtlmMessages.MicSize)
        {
            return Fail(AuthOutcome.InvalidToken); // claims a MIC the header has no room for
        }

        SmbUser? user = users.Find(auth.User);
        if (user is null || user.NtHash.Length != 16)
        {
            return Fail(AuthOutcome.LogonFailure);
        }

        // The client computes NTOWFv2 with the domain it sends; some send it upper-cased or leave it out.
        byte[]? responseKey = null;
        foreach (string domain in CandidateDomains(auth.Domain))
        {
            byte[] key = NtlmCrypto.NtowfV2(user.NtHash, auth.User, domain);
            byte[] expected = NtlmCrypto.NtProofStr(key, serverChallenge, temp);
            if (CryptographicOperations.FixedTimeEquals(expected, ntProof))
            {
                responseKey = key;
                break;
            }
        }

        if (responseKey is null)
        {
            return Fail(AuthOutcome.LogonFailure);
        }

        // NTLMv2: KeyExchangeKey = SessionBaseKey = HMAC-MD5(ResponseKeyNT, NTProofStr).
        byte[] keyExchangeKey = NtlmCrypto.HmacMd5(responseKey, ntProof);
        byte[] exported;
        // KEY_EXCH: the client picked a random session key and sent it RC4'd under KeyExchangeKey. MS-NLMP's
        // client does that only with SIGN or SEAL; an empty field then means it did not, so go by the field.
        if ((auth.Flags & NtlmFlags.KeyExchange) != 0 && !auth.EncryptedRandomSessionKey.IsEmpty)
        {
            if (auth.EncryptedRandomSessionKey.Length != 16)
            {
                return Fail(AuthOutcome.InvalidToken);
            }

            exported = NtlmCrypto.Rc4(keyExchangeKey, auth.EncryptedRandomSessionKey);
        }
        else
        {
            exported = keyExchangeKey;
        }

        if (micPresent && !MicMatches(exported, negotiateMessage, challengeMessage, authenticateMessage))
        {
            return Fail(AuthOutcome.LogonFailure);
        }

        return new NtlmVerifyResult(AuthOutcome.Success, exported, user, false, auth.Flags, micPresent);
    }

    /// <summary>MIC = HMAC-MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE with the MIC zeroed).</summary>
    internal static byte[] ComputeMic(ReadOnlySpan<byte> exportedSessionKey, ReadOnlySpan<byte> negotiate, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> authenticate)
    {
        byte[] all = new byte[negotiate.Length + challenge.Length + authenticate.Length];
        negotiate.CopyTo(all);
        challenge.CopyTo(all.AsSpan(negotiate.Length));
        Span<byte> auth = all.AsSpan(negotiate.Length + challenge.Length);
        authenticate.CopyTo(auth);
        auth.Slice(NtlmMessages.MicOffset, NtlmMessages.MicSize).Clear();
        return NtlmCrypto.HmacMd5(exportedSessionKey, all);
    }

    private static bool MicMatches(ReadOnlySpan<byte> exported, ReadOnlySpan<byte> negotiate, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> authenticate)
    {
        byte[] mic = ComputeMic(exported, negotiate, challenge, authenticate);
        return CryptographicOperations.FixedTimeEquals(mic, authenticate.Slice(NtlmMessages.MicOffset, NtlmMessages.MicSize));
    }

    private static IEnumerable<string> CandidateDomains(string sent)
    {
        yield return sent;
        string upper = sent.ToUpperInvariant();
        if (upper != sent)
        {
            yield return upper;
        }

        if (sent.Length != 0)
        {
            yield return string.Empty;
        }
    }

    private static NtlmVerifyResult Fail(AuthOutcome outcome) => new(outcome, null, null, false, NtlmFlags.None, false);
}
