namespace Gateway.Rpc;

// Who the caller says it is, after the credential has been decoded and accepted.
// AUTH_NONE and AUTH_SYS only for now. Seam for RPCSEC_GSS (RFC 2203): a GSS credential
// will carry the established context (principal, service: none/integrity/privacy, the
// sequence window) here, and the dispatcher will verify/unwrap arguments and wrap results
// around the procedure call; until then flavor 6 is rejected with AUTH_BADCRED.
public sealed class RpcCredential
{
    public static readonly RpcCredential None = new(AuthFlavor.AUTH_NONE, null);

    private RpcCredential(AuthFlavor flavor, AuthSysParams? authSys)
    {
        Flavor = flavor;
        AuthSys = authSys;
    }

    public AuthFlavor Flavor { get; }

    // Set when Flavor is AUTH_SYS.
    public AuthSysParams? AuthSys { get; }

    public static RpcCredential FromAuthSys(AuthSysParams authSys)
    {
        ArgumentNullException.ThrowIfNull(authSys);
        return new RpcCredential(AuthFlavor.AUTH_SYS, authSys);
    }

    public override string ToString() => AuthSys is { } sys
        ? $"AUTH_SYS uid={sys.Uid} gid={sys.Gid} machine={sys.MachineName}"
        : Flavor.ToString();
}
