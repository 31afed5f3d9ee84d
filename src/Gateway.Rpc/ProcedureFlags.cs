namespace Gateway.Rpc;

// Behaviour flags of a procedure, read by the dispatcher (ganesha's nfs_function_desc
// dispatch_behaviour: NEEDS_CRED, CAN_BE_DUP, MAKES_WRITE ...).
[Flags]
public enum ProcedureFlags
{
    None = 0,

    // Not safe to execute twice (CREATE, REMOVE, RENAME, non-idempotent WRITE, NLM LOCK...):
    // the reply is kept in the duplicate request cache and a retransmission of the same
    // call gets the same bytes back without re-executing (ganesha CAN_BE_DUP).
    NonIdempotent = 1 << 0,

    // Refuses AUTH_NONE callers with AUTH_ERROR AUTH_TOOWEAK (ganesha NEEDS_CRED).
    NeedsCredential = 1 << 1,

    // Changes state; informational for the layers above (read-only exports, logging).
    MakesWrite = 1 << 2,
}
