namespace Gateway.Rpc;

// A connection-level error (bad record marking, a fragment or record above the limit):
// no reply can be trusted to reach the right call, so the connection is closed. The
// request-level error is XdrException (answered with GARBAGE_ARGS, connection kept).
public sealed class RpcConnectionException : Exception
{
    public RpcConnectionException(string message) : base(message)
    {
    }
}
