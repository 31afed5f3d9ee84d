namespace Gateway.Rpc;

// RFC 5531 §9:
//   enum reject_stat {
//      RPC_MISMATCH = 0, /* RPC version number != 2          */
//      AUTH_ERROR = 1    /* remote can't authenticate caller */
//   };
public enum RejectStat : uint
{
    RPC_MISMATCH = 0,
    AUTH_ERROR = 1,
}
