namespace Gateway.Rpc;

// Thrown by a procedure that refuses its caller after decoding the arguments (rpcbind's
// SET from a remote host, an export that demands a stronger flavor): the dispatcher
// answers MSG_DENIED AUTH_ERROR with Stat, as libtirpc's svcerr_auth/svcerr_weakauth do.
public sealed class RpcAuthException : Exception
{
    public RpcAuthException(AuthStat stat) : base($"AUTH_ERROR {stat}")
    {
        Stat = stat;
    }

    public AuthStat Stat { get; }
}
