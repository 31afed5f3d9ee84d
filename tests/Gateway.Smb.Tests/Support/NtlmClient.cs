using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Support;

/// <summary>
/// A minimal NTLMv2 client for in-process tests: NEGOTIATE, then from the server's CHALLENGE an AUTHENTICATE
/// (optionally with KEY_EXCH and the MIC), raw or wrapped in SPNEGO with a mechListMIC. Drive it with
/// CreateInitialToken, CreateResponse(serverToken) until the server says Success, then VerifyFinalToken.
/// The message layout is written here independently of the server's codec; only the vector-tested
/// primitives (HMAC-MD5, RC4, NTOWFv2, NTLM signing) are shared.
/// </summary>
public sealed class NtlmClient
{
    private static readonly byte[] NtlmOid = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A];
    private static readonly byte[] MsKerberosOid = [0x2A, 0x86, 0x48, 0x82, 0xF7, 0x12, 0x01, 0x02, 0x02];

    private readonly string _user;
    private readonly byte[] _ntHash;
    private readonly string _domain;
    private readonly string _workstation;
    private byte[]? _negotiate;
    private byte[]? _mechTypes;
    private uint _flags;

    public NtlmClient(string user, string password, string domain = "", string workstation = "CLIENT")
        : this(user, NtHash.Compute(password), domain, workstation)
    {
    }

    public NtlmClient(string user, byte[] ntHash, string domain, string workstation)
    {
        _user = user;
        _ntHash = ntHash;
        _domain = domain;
        _workstation = workstation;
    }

    /// <summary>Wrap in SPNEGO (true, what SMB clients do) or send raw NTLMSSP.</summary>
    public bool UseSpnego { get; init; } = true;

    /// <summary>Ask for NTLMSSP_NEGOTIATE_KEY_EXCH (a random session key sent RC4'd).</summary>
    public bool KeyExchange { get; init; } = true;

    /// <summary>Send the NTLM MIC (MsvAvFlags 0x2) and, with SPNEGO, a mechListMIC.</summary>
    public bool SendMic { get; init; } = true;

    /// <summary>With SendMic, still leave the SPNEGO mechListMIC out (to test the server's insistence on it).</summary>
    public bool OmitMechListMic { get; init; }

    /// <summary>List Kerberos first with no optimistic token, so the server must pick NTLMSSP in its reply.</summary>
    public bool OfferKerberosFirst { get; init; }

    /// <summary>Anonymous: empty user, empty NT response, LM = one zero byte.</summary>
    public bool Anonymous { get; init; }

    /// <summary>Test hook: corrupt the AUTHENTICATE message (after the MIC is computed) before it is wrapped.</summary>
    public Action<byte[]>? TamperAuthenticate { get; init; }

    /// <summary>Test hook: corrupt the mechListMIC before it is sent.</summary>
    public Action<byte[]>? TamperMechListMic { get; init; }

    /// <summary>The exported session key once CreateResponse has built the AUTHENTICATE (what SMB calls the session key).</summary>
    public byte[]? SessionKey { get; private set; }

    /// <summary>The raw AUTHENTICATE message last sent.</summary>
    public byte[]? AuthenticateMessage { get; private set; }

    public byte[] CreateInitialToken()
    {
        _negotiate = BuildNegotiate();
        if (!UseSpnego)
        {
            return (byte[])_negotiate.Clone();
        }

        byte[][] mechs = OfferKerberosFirst ? [MsKerberosOid, NtlmOid] : [NtlmOid];
        _mechTypes = Spnego.EncodeMechTypes(mechs);
        return Spnego.BuildInit(_mechTypes, OfferKerberosFirst ? [] : _negotiate, []);
    }

    /// <summary>Answers a server token: the NEGOTIATE again when the server only picked NTLMSSP, else the AUTHENTICATE.</summary>
    public byte[] CreateResponse(ReadOnlySpan<byte> serverToken)
    {
        byte[] challenge;
        if (UseSpnego)
        {
            if (!Spnego.TryParseResp(serverToken, out NegTokenResp? resp))
            {
                throw new InvalidOperationException("The server's token is not a NegTokenResp.");
            }

            if (resp!.ResponseToken is not { Length: > 0 } token)
            {
                // The server chose NTLMSSP without a token of ours to answer: send the NEGOTIATE now.
                return Spnego.BuildResp(null, [], _negotiate, []);
            }

            challenge = token;
        }
        else
        {
            challenge = serverToken.ToArray();
        }

        byte[] authenticate = BuildAuthenticate(challenge);
        AuthenticateMessage = authenticate;
        if (!UseSpnego)
        {
            return authenticate;
        }

        byte[] mic = [];
        if (SendMic && !OmitMechListMic && !Anonymous)
        {
            var context = new NtlmSecurityContext(SessionKey, (NtlmFlags)_flags, isServer: false);
            mic = context.Sign(_mechTypes);
            TamperMechListMic?.Invoke(mic);
        }

        return Spnego.BuildResp(null, [], authenticate, mic);
    }

    /// <summary>True when the final server token is accept-completed and, when it carries a mechListMIC, that it verifies.</summary>
    public bool VerifyFinalToken(ReadOnlySpan<byte> serverToken, out bool hadMechListMic)
    {
        hadMechListMic = false;
        if (!UseSpnego)
        {
            return serverToken.IsEmpty;
        }

        if (!Spnego.TryParseResp(serverToken, out NegTokenResp? resp) || resp!.State != NegState.AcceptCompleted)
        {
            return false;
        }

        if (resp.MechListMic is null)
        {
            return true;
        }

        hadMechListMic = true;
        var context = new NtlmSecurityContext(SessionKey, (NtlmFlags)_flags, isServer: false);
        return context.Verify(_mechTypes, resp.MechListMic);
    }

    private byte[] BuildNegotiate()
    {
        uint flags = 0x00000001 /*UNICODE*/ | 0x00000004 /*REQUEST_TARGET*/ | 0x00000010 /*SIGN*/ | 0x00000020 /*SEAL*/
            | 0x00000200 /*NTLM*/ | 0x00008000 /*ALWAYS_SIGN*/ | 0x00080000 /*ESS*/ | 0x02000000 /*VERSION*/
            | 0x20000000 /*128*/ | 0x80000000 /*56*/;
        if (KeyExchange)
        {
            flags |= 0x40000000;
        }

        byte[] m = new byte[40];
        "NTLMSSP\0"u8.CopyTo(m);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(20), 40); // empty domain at the end
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(28), 40); // empty workstation
        m[32] = 10;                                                  // Version 10.0.20348, NTLM revision 15
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(34), 20348);
        m[39] = 15;
        return m;
    }

    private byte[] BuildAuthenticate(byte[] challenge)
    {
        if (challenge.Length < 48 || !challenge.AsSpan(0, 8).SequenceEqual("NTLMSSP\0"u8) || BinaryPrimitives.ReadUInt32LittleEndian(challenge.AsSpan(8)) != 2)
        {
            throw new InvalidOperationException("Not an NTLM CHALLENGE message.");
        }

        uint serverFlags = BinaryPrimitives.ReadUInt32LittleEndian(challenge.AsSpan(20));
        uint requested = BinaryPrimitives.ReadUInt32LittleEndian(_negotiate.AsSpan(12));
        _flags = serverFlags & (requested | 0x00800000 /*TARGET_INFO*/ | 0x00020000 /*TARGET_TYPE_SERVER*/);
        byte[] serverChallenge = challenge.AsSpan(24, 8).ToArray();
        int infoLength = BinaryPrimitives.ReadUInt16LittleEndian(challenge.AsSpan(40));
        int infoOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(challenge.AsSpan(44));
        byte[] serverInfo = challenge.AsSpan(infoOffset, infoLength).ToArray();

        byte[] lm;
        byte[] nt;
        byte[] encryptedKey = [];
        string user = _user;
        if (Anonymous)
        {
            user = string.Empty;
            lm = [0];
            nt = [];
            SessionKey = new byte[16];
        }
        else
        {
            // Copy the server's AV pairs, drop any MsvAvFlags and the EOL, add ours, end with EOL.
            var pairs = new MemoryStream();
            long timestamp = DateTime.UtcNow.ToFileTimeUtc();
            for (int at = 0; at + 4 <= serverInfo.Length;)
            {
                ushort id = BinaryPrimitives.ReadUInt16LittleEndian(serverInfo.AsSpan(at));
                ushort len = BinaryPrimitives.ReadUInt16LittleEndian(serverInfo.AsSpan(at + 2));
                if (id == 0)
                {
                    break;
                }

                if (id == 7 && len == 8)
                {
                    timestamp = BinaryPrimitives.ReadInt64LittleEndian(serverInfo.AsSpan(at + 4));
                }

                if (id != 6)
                {
                    pairs.Write(serverInfo, at, 4 + len);
                }

                at += 4 + len;
            }

            if (SendMic)
            {
                pairs.Write([6, 0, 4, 0, 2, 0, 0, 0]);
            }

            pairs.Write([0, 0, 0, 0]);
            byte[] avPairs = pairs.ToArray();

            byte[] temp = new byte[28 + avPairs.Length + 4];
            temp[0] = 1;
            temp[1] = 1;
            BinaryPrimitives.WriteInt64LittleEndian(temp.AsSpan(8), timestamp);
            RandomNumberGenerator.Fill(temp.AsSpan(16, 8));
            avPairs.CopyTo(temp, 28);

            byte[] responseKey = NtlmCrypto.NtowfV2(_ntHash, _user, _domain);
            byte[] proof = NtlmCrypto.NtProofStr(responseKey, serverChallenge, temp);
            nt = [.. proof, .. temp];
            lm = new byte[24];
            byte[] baseKey = NtlmCrypto.HmacMd5(responseKey, proof);
            if ((_flags & 0x40000000) != 0)
            {
                byte[] random = RandomNumberGenerator.GetBytes(16);
                encryptedKey = NtlmCrypto.Rc4(baseKey, random);
                SessionKey = random;
            }
            else
            {
                SessionKey = baseKey;
            }
        }

        byte[] domain = Encoding.Unicode.GetBytes(_domain);
        byte[] userBytes = Encoding.Unicode.GetBytes(user);
        byte[] workstation = Encoding.Unicode.GetBytes(_workstation);
        const int Header = 88;
        byte[] m = new byte[Header + domain.Length + userBytes.Length + workstation.Length + lm.Length + nt.Length + encryptedKey.Length];
        "NTLMSSP\0"u8.CopyTo(m);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), 3);
        int offset = Header;
        offset = Field(m, 28, domain, offset);
        offset = Field(m, 36, userBytes, offset);
        offset = Field(m, 44, workstation, offset);
        offset = Field(m, 12, lm, offset);
        offset = Field(m, 20, nt, offset);
        Field(m, 52, encryptedKey, offset);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(60), _flags);
        m[64] = 10;
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(66), 20348);
        m[71] = 15;
        if (SendMic && !Anonymous)
        {
            byte[] all = [.. _negotiate!, .. challenge, .. m];
            NtlmCrypto.HmacMd5(SessionKey, all).CopyTo(m, 72);
        }

        TamperAuthenticate?.Invoke(m);
        return m;
    }

    private static int Field(byte[] message, int at, byte[] value, int offset)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at), (ushort)value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(at + 2), (ushort)value.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(at + 4), (uint)offset);
        value.CopyTo(message, offset);
        return offset + value.Length;
    }
}
