using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// BIND / ALTER_CONTEXT bodies (C706 12.6.4.3, 12.6.4.1) and the presentation-context negotiation
/// (MS-RPCE 3.3.1.5.3 for bind time feature negotiation). Body after the 16-byte header:
/// <code>
///  0 max_xmit_frag(2)  2 max_recv_frag(2)  4 assoc_group_id(4)  8 n_context_elem(1)  9 reserved(1) 10 reserved2(2)
/// 12 p_cont_elem_t[n]: p_cont_id(2) n_transfer_syn(1) reserved(1) abstract_syntax(20) transfer_syntaxes[n_transfer_syn](20)
/// </code>
/// </summary>
internal readonly record struct BindRequest(ushort MaxXmitFrag, ushort MaxRecvFrag, uint AssocGroupId, ContextResult[] Results)
{
    /// <summary>p_cont_def_result_t (C706 12.6.3.1).</summary>
    public const ushort Acceptance = 0;
    public const ushort ProviderRejection = 2;
    public const ushort NegotiateAck = 3;

    /// <summary>p_provider_reason_t.</summary>
    public const ushort AbstractSyntaxNotSupported = 1;
    public const ushort TransferSyntaxesNotSupported = 2;

    /// <summary>MS-RPCE 2.2.2.14: the one bind-time feature we honour (we never close a pipe on an orphaned call).</summary>
    public const ushort KeepConnectionOnOrphan = 0x2;

    /// <summary>
    /// Parses the body and decides each context against the pipe's interface. False when malformed
    /// (the caller answers BIND_NAK). <paramref name="accepted"/> receives the context ids now bound.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, SyntaxId iface, List<ushort> accepted, out BindRequest request)
    {
        request = default;
        if (body.Length < 12) return false;
        ushort maxXmit = BinaryPrimitives.ReadUInt16LittleEndian(body);
        ushort maxRecv = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(2));
        uint assoc = BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(4));
        int count = body[8];
        if (count == 0) return false;

        var results = new ContextResult[count];
        bool sawFeatureContext = false;
        int at = 12;
        for (int i = 0; i < count; i++)
        {
            if (body.Length - at < 4 + SyntaxId.Size) return false;
            ushort contextId = BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(at));
            int transferCount = body[at + 2];
            if (transferCount == 0) return false;
            SyntaxId abstractSyntax = SyntaxId.Read(body.Slice(at + 4));
            at += 4 + SyntaxId.Size;
            if (body.Length - at < transferCount * SyntaxId.Size) return false;

            ReadOnlySpan<byte> transfers = body.Slice(at, transferCount * SyntaxId.Size);
            at += transfers.Length;

            // Only the first transfer syntax marks a feature-negotiation context (as Samba reads it),
            // and only one such context is allowed per bind.
            if (SyntaxId.Read(transfers).IsBindTimeFeatureNegotiation(out ushort features))
            {
                if (sawFeatureContext) return false;
                sawFeatureContext = true;
                results[i] = new ContextResult(NegotiateAck, (ushort)(features & KeepConnectionOnOrphan), default);
                continue;
            }

            if (abstractSyntax.Uuid != iface.Uuid || abstractSyntax.Major != iface.Major || abstractSyntax.Minor > iface.Minor)
            {
                results[i] = new ContextResult(ProviderRejection, AbstractSyntaxNotSupported, default);
                continue;
            }

            results[i] = new ContextResult(ProviderRejection, TransferSyntaxesNotSupported, default);
            for (int t = 0; t < transferCount; t++)
            {
                if (SyntaxId.Read(transfers.Slice(t * SyntaxId.Size)) == SyntaxId.Ndr)
                {
                    results[i] = new ContextResult(Acceptance, 0, SyntaxId.Ndr);
                    accepted.Add(contextId);
                    break;
                }
            }
        }

        request = new BindRequest(maxXmit, maxRecv, assoc, results);
        return true;
    }

    /// <summary>
    /// BIND_ACK / ALTER_CONTEXT_RESP body (C706 12.6.4.4):
    /// max_xmit_frag(2) max_recv_frag(2) assoc_group_id(4) sec_addr: length(2) port_spec[length] (NUL included),
    /// pad to 4 (from the PDU start), n_results(1) reserved(1) reserved2(2), p_result_t[n]: result(2) reason(2) transfer_syntax(20).
    /// </summary>
    public static byte[] BuildAck(DcePduType type, uint callId, ushort maxFrag, uint assocGroupId, string secondaryAddress, ContextResult[] results)
    {
        int addressLength = secondaryAddress.Length == 0 ? 0 : secondaryAddress.Length + 1;
        int resultsAt = (PduHeader.Size + 8 + 2 + addressLength + 3) & ~3;
        int size = resultsAt + 4 + results.Length * (4 + SyntaxId.Size);
        var pdu = new byte[size];
        Span<byte> b = pdu;
        PduHeader.Write(b, type, PfcFlags.FirstFrag | PfcFlags.LastFrag, size, callId);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(16), maxFrag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(18), maxFrag);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(20), assocGroupId);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(24), (ushort)addressLength);
        for (int i = 0; i < secondaryAddress.Length; i++)
        {
            b[26 + i] = (byte)secondaryAddress[i];
        }

        b[resultsAt] = (byte)results.Length;
        int at = resultsAt + 4;
        foreach (ContextResult r in results)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(at), r.Result);
            BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(at + 2), r.Reason);
            if (r.Result == Acceptance) r.TransferSyntax.Write(b.Slice(at + 4));
            at += 4 + SyntaxId.Size;
        }

        return pdu;
    }
}

/// <summary>One p_result_t: acceptance with the chosen transfer syntax, or a rejection/negotiate-ack with its reason.</summary>
internal readonly record struct ContextResult(ushort Result, ushort Reason, SyntaxId TransferSyntax);
