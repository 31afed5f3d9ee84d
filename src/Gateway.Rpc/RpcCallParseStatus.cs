namespace Gateway.Rpc;

// What RpcCall.TryRead made of a record, and so what the dispatcher answers.
public enum RpcCallParseStatus
{
    Ok,
    NoXid,             // shorter than an xid: nothing to answer, drop
    NotACall,          // a REPLY (or a bad msg_type) sent to a server: drop
    RpcMismatch,       // rpcvers != 2: MSG_DENIED RPC_MISMATCH(2, 2)
    GarbageHeader,     // truncated before the credential: GARBAGE_ARGS
    BadCredential,     // malformed cred opaque_auth: AUTH_ERROR AUTH_BADCRED
    BadVerifier,       // malformed verf opaque_auth: AUTH_ERROR AUTH_BADVERF
}
