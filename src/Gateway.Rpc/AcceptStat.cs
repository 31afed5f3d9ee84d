namespace Gateway.Rpc;

// RFC 5531 §9:
//   enum accept_stat {
//      SUCCESS       = 0, /* RPC executed successfully       */
//      PROG_UNAVAIL  = 1, /* remote hasn't exported program  */
//      PROG_MISMATCH = 2, /* remote can't support version #  */
//      PROC_UNAVAIL  = 3, /* program can't support procedure */
//      GARBAGE_ARGS  = 4, /* procedure can't decode params   */
//      SYSTEM_ERR    = 5  /* e.g. memory allocation failure  */
//   };
public enum AcceptStat : uint
{
    SUCCESS = 0,
    PROG_UNAVAIL = 1,
    PROG_MISMATCH = 2,
    PROC_UNAVAIL = 3,
    GARBAGE_ARGS = 4,
    SYSTEM_ERR = 5,
}
