namespace Gateway.Rpc.Tests.Support;

// RpcReplyHeader copied out of its span, so async tests can hold it across awaits.
internal sealed record Reply(uint Xid, ReplyStat ReplyStat, AcceptStat AcceptStat, RejectStat RejectStat,
    AuthStat AuthStat, uint MismatchLow, uint MismatchHigh, byte[] ResultBytes)
{
    public bool IsSuccess => ReplyStat == ReplyStat.MSG_ACCEPTED && AcceptStat == AcceptStat.SUCCESS;

    public ReadOnlySpan<byte> Results => ResultBytes;

    // message: the reply without its record mark.
    public static Reply Parse(ReadOnlySpan<byte> message)
    {
        RpcReplyHeader h = RpcReplyHeader.Read(message);
        return new Reply(h.Xid, h.ReplyStat, h.AcceptStat, h.RejectStat, h.AuthStat, h.MismatchLow, h.MismatchHigh,
            h.Results.ToArray());
    }
}
