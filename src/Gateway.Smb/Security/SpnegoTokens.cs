namespace Gateway.Smb.Security;

/// <summary>SPNEGO negState (RFC 4178 4.2.2).</summary>
internal enum NegState
{
    AcceptCompleted = 0,
    AcceptIncomplete = 1,
    Reject = 2,
    RequestMic = 3,
}

/// <summary>
/// A parsed NegTokenInit (or NegTokenInit2). MechTypes are OID contents (no tag/length);
/// MechTypesEncoded is the DER MechTypeList SEQUENCE exactly as the client sent it, which is what the
/// mechListMIC covers (RFC 4178 5: "the DER encoding of the MechTypeList").
/// </summary>
internal sealed class NegTokenInit
{
    public required List<byte[]> MechTypes { get; init; }

    public required byte[] MechTypesEncoded { get; init; }

    public byte[]? MechToken { get; init; }

    public byte[]? MechListMic { get; init; }
}

/// <summary>A parsed NegTokenResp; every field is optional on the wire.</summary>
internal sealed class NegTokenResp
{
    public NegState? State { get; init; }

    public byte[]? SupportedMech { get; init; }

    public byte[]? ResponseToken { get; init; }

    public byte[]? MechListMic { get; init; }
}
