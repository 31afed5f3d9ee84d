namespace Gateway.Rpc;

// A client-side call that was answered with anything but MSG_ACCEPTED/SUCCESS.
public sealed class RpcCallException : Exception
{
    public RpcCallException(ReplyStat replyStat, AcceptStat acceptStat, RejectStat rejectStat, AuthStat authStat,
        uint mismatchLow, uint mismatchHigh)
        : base(Describe(replyStat, acceptStat, rejectStat, authStat, mismatchLow, mismatchHigh))
    {
        ReplyStat = replyStat;
        AcceptStat = acceptStat;
        RejectStat = rejectStat;
        AuthStat = authStat;
        MismatchLow = mismatchLow;
        MismatchHigh = mismatchHigh;
    }

    public ReplyStat ReplyStat { get; }

    public AcceptStat AcceptStat { get; }

    public RejectStat RejectStat { get; }

    public AuthStat AuthStat { get; }

    public uint MismatchLow { get; }

    public uint MismatchHigh { get; }

    private static string Describe(ReplyStat reply, AcceptStat accept, RejectStat reject, AuthStat auth, uint low, uint high) =>
        reply == ReplyStat.MSG_ACCEPTED
            ? (accept == AcceptStat.PROG_MISMATCH ? $"PROG_MISMATCH ({low}..{high})" : accept.ToString())
            : (reject == RejectStat.AUTH_ERROR ? $"AUTH_ERROR {auth}" : $"RPC_MISMATCH ({low}..{high})");
}
