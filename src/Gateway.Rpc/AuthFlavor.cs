namespace Gateway.Rpc;

// RFC 5531 §8.2 (enum auth_flavor) and RFC 2203 (RPCSEC_GSS = 6).
public enum AuthFlavor : uint
{
    AUTH_NONE = 0,
    AUTH_SYS = 1,
    AUTH_SHORT = 2,
    AUTH_DH = 3,
    RPCSEC_GSS = 6,
}
