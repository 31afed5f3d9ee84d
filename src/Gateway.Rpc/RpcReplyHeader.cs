namespace Gateway.Rpc;

// A decoded reply (the client side of RpcReply: PortmapClient, RpcClient, tests).
// Results is the slice after accept_stat SUCCESS; the other fields are set as the
// reply's union arms say, zero otherwise.
public readonly ref struct RpcReplyHeader
{
    private RpcReplyHeader(uint xid, ReplyStat replyStat, AcceptStat acceptStat, RejectStat rejectStat,
        AuthStat authStat, uint low, uint high, ReadOnlySpan<byte> results)
    {
        Xid = xid;
        ReplyStat = replyStat;
        AcceptStat = acceptStat;
        RejectStat = rejectStat;
        AuthStat = authStat;
        MismatchLow = low;
        MismatchHigh = high;
        Results = results;
    }

    public uint Xid { get; }

    public ReplyStat ReplyStat { get; }

    public AcceptStat AcceptStat { get; }

    public RejectStat RejectStat { get; }

    public AuthStat AuthStat { get; }

    // PROG_MISMATCH or RPC_MISMATCH range.
    public uint MismatchLow { get; }

    public uint MismatchHigh { get; }

    public ReadOnlySpan<byte> Results { get; }

    public bool IsSuccess => ReplyStat == ReplyStat.MSG_ACCEPTED && AcceptStat == AcceptStat.SUCCESS;

    // Throws XdrException on a malformed reply.
    public static RpcReplyHeader Read(ReadOnlySpan<byte> record)
    {
        var reader = new XdrReader(record);
        uint xid = reader.ReadUInt32();
        if (reader.ReadUInt32() != (uint)MsgType.REPLY)
        {
            throw new XdrException("not a REPLY");
        }

        uint replyStat = reader.ReadUInt32();
        switch ((ReplyStat)replyStat)
        {
            case ReplyStat.MSG_ACCEPTED:
            {
                OpaqueAuth.Read(ref reader);
                var accept = (AcceptStat)reader.ReadUInt32();
                uint low = 0, high = 0;
                if (accept == AcceptStat.PROG_MISMATCH)
                {
                    low = reader.ReadUInt32();
                    high = reader.ReadUInt32();
                }

                ReadOnlySpan<byte> results = accept == AcceptStat.SUCCESS ? reader.RemainingSpan : default;
                return new RpcReplyHeader(xid, ReplyStat.MSG_ACCEPTED, accept, default, default, low, high, results);
            }

            case ReplyStat.MSG_DENIED:
            {
                var reject = (RejectStat)reader.ReadUInt32();
                switch (reject)
                {
                    case RejectStat.RPC_MISMATCH:
                        uint low = reader.ReadUInt32();
                        uint high = reader.ReadUInt32();
                        return new RpcReplyHeader(xid, ReplyStat.MSG_DENIED, default, reject, default, low, high, default);
                    case RejectStat.AUTH_ERROR:
                        var auth = (AuthStat)reader.ReadUInt32();
                        return new RpcReplyHeader(xid, ReplyStat.MSG_DENIED, default, reject, auth, 0, 0, default);
                    default:
                        throw new XdrException($"unknown reject_stat {(uint)reject}");
                }
            }

            default:
                throw new XdrException($"unknown reply_stat {replyStat}");
        }
    }

    public override string ToString() => ReplyStat == ReplyStat.MSG_ACCEPTED
        ? $"xid={Xid} MSG_ACCEPTED {AcceptStat}"
        : $"xid={Xid} MSG_DENIED {RejectStat} {(RejectStat == RejectStat.AUTH_ERROR ? AuthStat : string.Empty)}";
}
