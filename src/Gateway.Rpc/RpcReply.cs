namespace Gateway.Rpc;

// RFC 5531 §9, the reply half of an RPC message:
//
//   union reply_body switch (reply_stat stat) {
//   case MSG_ACCEPTED:  accepted_reply areply;
//   case MSG_DENIED:    rejected_reply rreply;
//   } reply;
//
//   struct accepted_reply {
//      opaque_auth verf;
//      union switch (accept_stat stat) {
//      case SUCCESS:       opaque results[0];  /* procedure-specific results start here */
//      case PROG_MISMATCH: struct { unsigned int low; unsigned int high; } mismatch_info;
//      default:            void;  /* PROG_UNAVAIL, PROC_UNAVAIL, GARBAGE_ARGS, SYSTEM_ERR */
//      } reply_data;
//   };
//
//   union rejected_reply switch (reject_stat stat) {
//   case RPC_MISMATCH: struct { unsigned int low; unsigned int high; } mismatch_info;
//   case AUTH_ERROR:   auth_stat stat;
//   };
//
// Only AUTH_NONE reply verifiers for now (AUTH_SYS answers with AUTH_NONE; RPCSEC_GSS
// will put its checksum of the sequence number here).
public static class RpcReply
{
    // xid, REPLY, MSG_ACCEPTED, verf (AUTH_NONE), accept_stat. For SUCCESS the results follow.
    public static void WriteAccepted(ref XdrWriter writer, uint xid, AcceptStat stat)
    {
        if (stat == AcceptStat.PROG_MISMATCH)
        {
            throw new ArgumentException("PROG_MISMATCH carries a version range: use WriteProgMismatch", nameof(stat));
        }

        WriteAcceptedHeader(ref writer, xid, stat);
    }

    public static void WriteProgMismatch(ref XdrWriter writer, uint xid, uint low, uint high)
    {
        WriteAcceptedHeader(ref writer, xid, AcceptStat.PROG_MISMATCH);
        writer.WriteUInt32(low);
        writer.WriteUInt32(high);
    }

    // MSG_DENIED RPC_MISMATCH with the only version we speak, (2, 2).
    public static void WriteRpcMismatch(ref XdrWriter writer, uint xid)
    {
        WriteDeniedHeader(ref writer, xid, RejectStat.RPC_MISMATCH);
        writer.WriteUInt32(RpcCall.SupportedRpcVersion);
        writer.WriteUInt32(RpcCall.SupportedRpcVersion);
    }

    public static void WriteAuthError(ref XdrWriter writer, uint xid, AuthStat stat)
    {
        WriteDeniedHeader(ref writer, xid, RejectStat.AUTH_ERROR);
        writer.WriteUInt32((uint)stat);
    }

    private static void WriteAcceptedHeader(ref XdrWriter writer, uint xid, AcceptStat stat)
    {
        writer.WriteUInt32(xid);
        writer.WriteUInt32((uint)MsgType.REPLY);
        writer.WriteUInt32((uint)ReplyStat.MSG_ACCEPTED);
        OpaqueAuth.WriteNone(ref writer);
        writer.WriteUInt32((uint)stat);
    }

    private static void WriteDeniedHeader(ref XdrWriter writer, uint xid, RejectStat stat)
    {
        writer.WriteUInt32(xid);
        writer.WriteUInt32((uint)MsgType.REPLY);
        writer.WriteUInt32((uint)ReplyStat.MSG_DENIED);
        writer.WriteUInt32((uint)stat);
    }
}
