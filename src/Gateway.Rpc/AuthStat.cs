namespace Gateway.Rpc;

// RFC 5531 §9 (enum auth_stat) plus the two RPCSEC_GSS values of RFC 2203 §5.3.3.3.
public enum AuthStat : uint
{
    AUTH_OK = 0,
    AUTH_BADCRED = 1,       // bad credential (seal broken)
    AUTH_REJECTEDCRED = 2,  // client must begin new session
    AUTH_BADVERF = 3,       // bad verifier (seal broken)
    AUTH_REJECTEDVERF = 4,  // verifier expired or replayed
    AUTH_TOOWEAK = 5,       // rejected for security reasons
    AUTH_INVALIDRESP = 6,
    AUTH_FAILED = 7,
    AUTH_KERB_GENERIC = 8,
    AUTH_TIMEEXPIRE = 9,
    AUTH_TKT_FILE = 10,
    AUTH_DECODE = 11,
    AUTH_NET_ADDR = 12,
    RPCSEC_GSS_CREDPROBLEM = 13,
    RPCSEC_GSS_CTXPROBLEM = 14,
}
