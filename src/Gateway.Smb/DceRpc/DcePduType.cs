namespace Gateway.Smb.DceRpc;

/// <summary>Connection-oriented PDU types (C706 12.6.4.1, MS-RPCE 2.2.2.3).</summary>
internal enum DcePduType : byte
{
    Request = 0,
    Response = 2,
    Fault = 3,
    Bind = 11,
    BindAck = 12,
    BindNak = 13,
    AlterContext = 14,
    AlterContextResponse = 15,
    Auth3 = 16,
    Shutdown = 17,
    CoCancel = 18,
    Orphaned = 19,
}

/// <summary>pfc_flags (C706 12.6.3.1).</summary>
internal static class PfcFlags
{
    public const byte FirstFrag = 0x01;
    public const byte LastFrag = 0x02;
    public const byte PendingCancel = 0x04; // PFC_SUPPORT_HEADER_SIGN in bind/bind_ack (MS-RPCE)
    public const byte ConcurrentMultiplex = 0x10;
    public const byte DidNotExecute = 0x20;
    public const byte Maybe = 0x40;
    public const byte ObjectUuid = 0x80;
}

/// <summary>Fault and reject status codes (C706 appendix E, MS-RPCE 2.2.2.11/3.3.2.5).</summary>
internal static class DceFaultStatus
{
    public const uint OpRangeError = 0x1C010002;      // nca_s_op_rng_error: unknown opnum
    public const uint UnknownInterface = 0x1C010003;  // nca_s_unk_if: no such presentation context
    public const uint ProtocolError = 0x1C01000B;     // nca_s_proto_error
    public const uint RemoteNoMemory = 0x1C00001B;    // nca_s_fault_remote_no_memory: request too big
    public const uint BadStubData = 0x000006F7;       // RPC_X_BAD_STUB_DATA (Samba's DCERPC_FAULT_NDR)
}
