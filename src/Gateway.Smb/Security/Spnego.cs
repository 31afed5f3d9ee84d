using System.Text;

namespace Gateway.Smb.Security;

/// <summary>
/// SPNEGO (RFC 4178, MS-SPNG) as SMB carries it in NEGOTIATE and SESSION_SETUP security buffers:
///
///   initial token:  [APPLICATION 0] { OID 1.3.6.1.5.5.2, [0] NegTokenInit(2) }
///   NegTokenInit  ::= SEQUENCE { mechTypes [0] SEQUENCE OF OID, reqFlags [1] BIT STRING OPTIONAL,
///                                mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
///   NegTokenInit2 ::= ... mechToken [2], negHints [3] SEQUENCE { hintName [0] GeneralString, ... }, mechListMIC [4]
///   later tokens:   [1] NegTokenResp ::= SEQUENCE { negState [0] ENUMERATED, supportedMech [1] OID,
///                                responseToken [2] OCTET STRING, mechListMIC [3] OCTET STRING } (all optional)
/// </summary>
public static class Spnego
{
    internal static ReadOnlySpan<byte> SpnegoOid => [0x2B, 0x06, 0x01, 0x05, 0x05, 0x02];

    internal static ReadOnlySpan<byte> NtlmOid => [0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A];

    internal static ReadOnlySpan<byte> KerberosOid => [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x12, 0x01, 0x02, 0x02];

    internal static ReadOnlySpan<byte> MsKerberosOid => [0x2A, 0x86, 0x48, 0x82, 0xF7, 0x12, 0x01, 0x02, 0x02];

    private const string HintName = "not_defined_in_RFC4178@please_ignore";

    private const byte TagApplication0 = 0x60;
    private const byte TagSequence = 0x30;
    private const byte TagOid = 0x06;
    private const byte TagOctetString = 0x04;
    private const byte TagEnumerated = 0x0A;
    private const byte TagGeneralString = 0x1B;
    private const byte TagBitString = 0x03;

    private static byte Context(int n) => (byte)(0xA0 | n);

    /// <summary>
    /// NEGOTIATE response security buffer: a NegTokenInit2 listing NTLMSSP only, with the hint name Windows
    /// sends ("not_defined_in_RFC4178@please_ignore").
    /// </summary>
    public static byte[] NegotiateHint()
    {
        byte[] hint = Encoding.ASCII.GetBytes(HintName);
        int oidTlv = DerWriter.TlvSize(NtlmOid.Length);
        int mechList = DerWriter.TlvSize(oidTlv);                  // SEQUENCE OF OID
        int mechTypes = DerWriter.TlvSize(mechList);               // [0]
        int hintString = DerWriter.TlvSize(hint.Length);           // GeneralString
        int hintNameField = DerWriter.TlvSize(hintString);         // [0]
        int hints = DerWriter.TlvSize(hintNameField);              // SEQUENCE
        int negHints = DerWriter.TlvSize(hints);                   // [3]
        int init = DerWriter.TlvSize(mechTypes + negHints);        // SEQUENCE
        int inner = DerWriter.TlvSize(init);                       // [0]
        int body = DerWriter.TlvSize(SpnegoOid.Length) + inner;
        byte[] token = new byte[DerWriter.TlvSize(body)];

        var w = new DerWriter(token);
        w.WriteHeader(TagApplication0, body);
        w.WriteElement(TagOid, SpnegoOid);
        w.WriteHeader(Context(0), init);
        w.WriteHeader(TagSequence, mechTypes + negHints);
        w.WriteHeader(Context(0), mechList);
        w.WriteHeader(TagSequence, oidTlv);
        w.WriteElement(TagOid, NtlmOid);
        w.WriteHeader(Context(3), hints);
        w.WriteHeader(TagSequence, hintNameField);
        w.WriteHeader(Context(0), hintString);
        w.WriteElement(TagGeneralString, hint);
        return token;
    }

    /// <summary>True when the token starts like a GSS initial token ([APPLICATION 0]) or a NegTokenResp ([1]).</summary>
    internal static bool LooksLikeSpnego(ReadOnlySpan<byte> token) =>
        !token.IsEmpty && (token[0] == TagApplication0 || token[0] == Context(1));

    /// <summary>Parses [APPLICATION 0] { SPNEGO OID, [0] NegTokenInit }. False when malformed.</summary>
    internal static bool TryParseInit(ReadOnlySpan<byte> token, out NegTokenInit? init)
    {
        init = null;
        var outer = new DerReader(token);
        if (!outer.TryReadConstructed(TagApplication0, out DerReader app) || outer.HasData)
        {
            return false;
        }

        if (!app.TryReadExpected(TagOid, out ReadOnlySpan<byte> oid) || !oid.SequenceEqual(SpnegoOid))
        {
            return false;
        }

        if (!app.TryReadConstructed(Context(0), out DerReader wrapper) || app.HasData)
        {
            return false;
        }

        if (!wrapper.TryReadConstructed(TagSequence, out DerReader seq) || wrapper.HasData)
        {
            return false;
        }

        List<byte[]>? mechTypes = null;
        byte[]? mechTypesEncoded = null;
        byte[]? mechToken = null;
        byte[]? mic = null;
        int lastField = -1;
        while (seq.HasData)
        {
            if (!seq.TryReadElement(out byte tag, out ReadOnlySpan<byte> contents, out _))
            {
                return false;
            }

            if ((tag & 0xE0) != 0xA0)
            {
                return false; // only context-specific constructed fields belong here
            }

            int field = tag & 0x1F;
            if (field <= lastField)
            {
                return false; // DER: fields in order, each at most once
            }

            lastField = field;
            var f = new DerReader(contents);
            switch (field)
            {
                case 0:
                    if (!TryReadMechTypes(ref f, out mechTypes, out mechTypesEncoded))
                    {
                        return false;
                    }

                    break;
                case 1:
                    if (!f.TryReadExpected(TagBitString, out _))
                    {
                        return false;
                    }

                    break;
                case 2:
                    if (!f.TryReadExpected(TagOctetString, out ReadOnlySpan<byte> t))
                    {
                        return false;
                    }

                    mechToken = t.ToArray();
                    break;
                case 3:
                    // NegTokenInit: mechListMIC OCTET STRING; NegTokenInit2: negHints SEQUENCE (ignored).
                    if (f.TryReadExpected(TagOctetString, out ReadOnlySpan<byte> m))
                    {
                        mic = m.ToArray();
                    }
                    else if (!f.TryReadExpected(TagSequence, out _))
                    {
                        return false;
                    }

                    break;
                case 4:
                    if (!f.TryReadExpected(TagOctetString, out ReadOnlySpan<byte> m4))
                    {
                        return false;
                    }

                    mic = m4.ToArray();
                    break;
                default:
                    break; // unknown extension: skip
            }

            if (field <= 4 && f.HasData)
            {
                return false;
            }
        }

        if (mechTypes is null || mechTypesEncoded is null)
        {
            return false; // mechTypes is mandatory
        }

        init = new NegTokenInit { MechTypes = mechTypes, MechTypesEncoded = mechTypesEncoded, MechToken = mechToken, MechListMic = mic };
        return true;
    }

    /// <summary>Parses [1] NegTokenResp. False when malformed.</summary>
    internal static bool TryParseResp(ReadOnlySpan<byte> token, out NegTokenResp? resp)
    {
        resp = null;
        var outer = new DerReader(token);
        if (!outer.TryReadConstructed(Context(1), out DerReader wrapper) || outer.HasData)
        {
            return false;
        }

        if (!wrapper.TryReadConstructed(TagSequence, out DerReader seq) || wrapper.HasData)
        {
            return false;
        }

        NegState? state = null;
        byte[]? mech = null;
        byte[]? responseToken = null;
        byte[]? mic = null;
        int lastField = -1;
        while (seq.HasData)
        {
            if (!seq.TryReadElement(out byte tag, out ReadOnlySpan<byte> contents, out _))
            {
                return false;
            }

            if ((tag & 0xE0) != 0xA0)
            {
                return false;
            }

            int field = tag & 0x1F;
            if (field <= lastField)
            {
                return false;
            }

            lastField = field;
            var f = new DerReader(contents);
            ReadOnlySpan<byte> value;
            switch (field)
            {
                case 0:
                    if (!f.TryReadExpected(TagEnumerated, out value) || value.Length != 1 || value[0] > 3)
                    {
                        return false;
                    }

                    state = (NegState)value[0];
                    break;
                case 1:
                    if (!f.TryReadExpected(TagOid, out value) || value.IsEmpty)
                    {
                        return false;
                    }

                    mech = value.ToArray();
                    break;
                case 2:
                    if (!f.TryReadExpected(TagOctetString, out value))
                    {
                        return false;
                    }

                    responseToken = value.ToArray();
                    break;
                case 3:
                    if (!f.TryReadExpected(TagOctetString, out value))
                    {
                        return false;
                    }

                    mic = value.ToArray();
                    break;
                default:
                    continue;
            }

            if (f.HasData)
            {
                return false;
            }
        }

        resp = new NegTokenResp { State = state, SupportedMech = mech, ResponseToken = responseToken, MechListMic = mic };
        return true;
    }

    /// <summary>Builds [1] NegTokenResp with whichever fields are given.</summary>
    internal static byte[] BuildResp(NegState? state, ReadOnlySpan<byte> supportedMech, ReadOnlySpan<byte> responseToken, ReadOnlySpan<byte> mechListMic)
    {
        // An empty span means "absent" for the optional fields.
        int stateField = state is null ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(1));
        int mechField = supportedMech.IsEmpty ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(supportedMech.Length));
        int tokenField = responseToken.IsEmpty ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(responseToken.Length));
        int micField = mechListMic.IsEmpty ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(mechListMic.Length));
        int seq = stateField + mechField + tokenField + micField;
        byte[] token = new byte[DerWriter.TlvSize(DerWriter.TlvSize(seq))];

        var w = new DerWriter(token);
        w.WriteHeader(Context(1), DerWriter.TlvSize(seq));
        w.WriteHeader(TagSequence, seq);
        if (state is { } s)
        {
            w.WriteHeader(Context(0), DerWriter.TlvSize(1));
            w.WriteElement(TagEnumerated, [(byte)s]);
        }

        if (!supportedMech.IsEmpty)
        {
            w.WriteHeader(Context(1), DerWriter.TlvSize(supportedMech.Length));
            w.WriteElement(TagOid, supportedMech);
        }

        if (!responseToken.IsEmpty)
        {
            w.WriteHeader(Context(2), DerWriter.TlvSize(responseToken.Length));
            w.WriteElement(TagOctetString, responseToken);
        }

        if (!mechListMic.IsEmpty)
        {
            w.WriteHeader(Context(3), DerWriter.TlvSize(mechListMic.Length));
            w.WriteElement(TagOctetString, mechListMic);
        }

        return token;
    }

    /// <summary>DER MechTypeList (SEQUENCE OF OID) for the given OID contents: the bytes a mechListMIC covers.</summary>
    internal static byte[] EncodeMechTypes(IReadOnlyList<byte[]> mechs)
    {
        int inner = 0;
        foreach (byte[] m in mechs)
        {
            inner += DerWriter.TlvSize(m.Length);
        }

        byte[] list = new byte[DerWriter.TlvSize(inner)];
        var w = new DerWriter(list);
        w.WriteHeader(TagSequence, inner);
        foreach (byte[] m in mechs)
        {
            w.WriteElement(TagOid, m);
        }

        return list;
    }

    /// <summary>Builds an initial token [APPLICATION 0] { SPNEGO, [0] NegTokenInit } (the client side; tests use it).</summary>
    internal static byte[] BuildInit(ReadOnlySpan<byte> mechTypesEncoded, ReadOnlySpan<byte> mechToken, ReadOnlySpan<byte> mechListMic)
    {
        int mechTypesField = DerWriter.TlvSize(mechTypesEncoded.Length);
        int tokenField = mechToken.IsEmpty ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(mechToken.Length));
        int micField = mechListMic.IsEmpty ? 0 : DerWriter.TlvSize(DerWriter.TlvSize(mechListMic.Length));
        int seq = mechTypesField + tokenField + micField;
        int inner = DerWriter.TlvSize(DerWriter.TlvSize(seq));
        int body = DerWriter.TlvSize(SpnegoOid.Length) + inner;
        byte[] token = new byte[DerWriter.TlvSize(body)];

        var w = new DerWriter(token);
        w.WriteHeader(TagApplication0, body);
        w.WriteElement(TagOid, SpnegoOid);
        w.WriteHeader(Context(0), DerWriter.TlvSize(seq));
        w.WriteHeader(TagSequence, seq);
        w.WriteElement(Context(0), mechTypesEncoded);
        if (!mechToken.IsEmpty)
        {
            w.WriteHeader(Context(2), DerWriter.TlvSize(mechToken.Length));
            w.WriteElement(TagOctetString, mechToken);
        }

        if (!mechListMic.IsEmpty)
        {
            w.WriteHeader(Context(3), DerWriter.TlvSize(mechListMic.Length));
            w.WriteElement(TagOctetString, mechListMic);
        }

        return token;
    }

    private static bool TryReadMechTypes(ref DerReader field, out List<byte[]>? mechs, out byte[]? encoded)
    {
        mechs = null;
        encoded = null;
        if (!field.TryReadElement(out byte tag, out ReadOnlySpan<byte> contents, out ReadOnlySpan<byte> whole) || tag != TagSequence)
        {
            return false;
        }

        var list = new List<byte[]>();
        var r = new DerReader(contents);
        while (r.HasData)
        {
            // 32 mechanisms is far more than any client offers; the cap bounds the work a hostile token causes.
            if (list.Count == 32 || !r.TryReadExpected(TagOid, out ReadOnlySpan<byte> oid) || oid.IsEmpty)
            {
                return false;
            }

            list.Add(oid.ToArray());
        }

        mechs = list;
        encoded = whole.ToArray();
        return true;
    }
}
