namespace Gateway.Rpc;

// RFC 5531 §9, the call half of an RPC message:
//
//   struct rpc_msg {
//      unsigned int xid;
//      union switch (msg_type mtype) {
//      case CALL:
//         call_body cbody;
//      case REPLY:
//         reply_body rbody;
//      } body;
//   };
//
//   struct call_body {
//      unsigned int rpcvers;       /* must be equal to two (2) */
//      unsigned int prog;
//      unsigned int vers;
//      unsigned int proc;
//      opaque_auth cred;
//      opaque_auth verf;
//      /* procedure-specific parameters start here */
//   };
//
// A view over the record: credential, verifier and arguments are slices of it.
public readonly ref struct RpcCall
{
    public const uint SupportedRpcVersion = 2;

    private RpcCall(uint xid, uint rpcVersion, uint program, uint version, uint procedure,
        OpaqueAuth credential, OpaqueAuth verifier, int argumentsOffset, ReadOnlySpan<byte> arguments)
    {
        Xid = xid;
        RpcVersion = rpcVersion;
        Program = program;
        Version = version;
        Procedure = procedure;
        Credential = credential;
        Verifier = verifier;
        ArgumentsOffset = argumentsOffset;
        Arguments = arguments;
    }

    public uint Xid { get; }

    public uint RpcVersion { get; }

    public uint Program { get; }

    public uint Version { get; }

    public uint Procedure { get; }

    public OpaqueAuth Credential { get; }

    public OpaqueAuth Verifier { get; }

    // Where the procedure arguments start in the record (to slice the record's Memory).
    public int ArgumentsOffset { get; }

    public ReadOnlySpan<byte> Arguments { get; }

    // Parses a call header. Whatever the status, Xid is set when the record holds one,
    // so that a rejection can be addressed to the right call.
    public static RpcCallParseStatus TryRead(ReadOnlySpan<byte> record, out RpcCall call)
    {
        call = default;
        var reader = new XdrReader(record);
        if (reader.Remaining < 4)
        {
            return RpcCallParseStatus.NoXid;
        }

        uint xid = reader.ReadUInt32();
        call = new RpcCall(xid, 0, 0, 0, 0, default, default, 0, default);
        if (reader.Remaining < 8 || reader.ReadUInt32() != (uint)MsgType.CALL)
        {
            return RpcCallParseStatus.NotACall;
        }

        uint rpcVersion = reader.ReadUInt32();
        if (rpcVersion != SupportedRpcVersion)
        {
            call = new RpcCall(xid, rpcVersion, 0, 0, 0, default, default, 0, default);
            return RpcCallParseStatus.RpcMismatch;
        }

        if (reader.Remaining < 12)
        {
            return RpcCallParseStatus.GarbageHeader;
        }

        uint program = reader.ReadUInt32();
        uint version = reader.ReadUInt32();
        uint procedure = reader.ReadUInt32();
        call = new RpcCall(xid, rpcVersion, program, version, procedure, default, default, 0, default);

        OpaqueAuth credential;
        try
        {
            credential = OpaqueAuth.Read(ref reader);
        }
        catch (XdrException)
        {
            return RpcCallParseStatus.BadCredential;
        }

        OpaqueAuth verifier;
        try
        {
            verifier = OpaqueAuth.Read(ref reader);
        }
        catch (XdrException)
        {
            return RpcCallParseStatus.BadVerifier;
        }

        call = new RpcCall(xid, rpcVersion, program, version, procedure, credential, verifier,
            reader.Position, reader.RemainingSpan);
        return RpcCallParseStatus.Ok;
    }

    // Writes a call header (the client side: PortmapClient, tests). The credential is
    // AUTH_SYS when authSys is given, else AUTH_NONE; the verifier is always AUTH_NONE.
    public static void WriteHeader(ref XdrWriter writer, uint xid, uint program, uint version, uint procedure,
        AuthSysParams? authSys = null)
    {
        writer.WriteUInt32(xid);
        writer.WriteUInt32((uint)MsgType.CALL);
        writer.WriteUInt32(SupportedRpcVersion);
        writer.WriteUInt32(program);
        writer.WriteUInt32(version);
        writer.WriteUInt32(procedure);
        if (authSys is null)
        {
            OpaqueAuth.WriteNone(ref writer);
        }
        else
        {
            authSys.WriteCredential(ref writer);
        }

        OpaqueAuth.WriteNone(ref writer);
    }
}
