namespace Gateway.Rpc.Portmap;

// RFC 1833: the port mapper (version 2) and rpcbind (versions 3 and 4) share program
// 100000 and port 111.
public static class PortmapConstants
{
    public const uint Program = 100000;
    public const int Port = 111;

    public const uint PmapVersion = 2;
    public const uint RpcbVersion3 = 3;
    public const uint RpcbVersion4 = 4;

    // RFC 1833 §3.2, version 2 procedures.
    public const uint PMAPPROC_NULL = 0;
    public const uint PMAPPROC_SET = 1;
    public const uint PMAPPROC_UNSET = 2;
    public const uint PMAPPROC_GETPORT = 3;
    public const uint PMAPPROC_DUMP = 4;
    public const uint PMAPPROC_CALLIT = 5;

    // RFC 1833 §2.2, versions 3 and 4 procedures.
    public const uint RPCBPROC_NULL = 0;
    public const uint RPCBPROC_SET = 1;
    public const uint RPCBPROC_UNSET = 2;
    public const uint RPCBPROC_GETADDR = 3;
    public const uint RPCBPROC_DUMP = 4;
    public const uint RPCBPROC_CALLIT = 5;
    public const uint RPCBPROC_GETTIME = 6;
    public const uint RPCBPROC_GETVERSADDR = 9;

    // mapping.prot in version 2.
    public const uint IPPROTO_TCP = 6;
    public const uint IPPROTO_UDP = 17;

    // Network ids (netconfig(5)) used by rpcbind for IP transports.
    public const string NetIdTcp = "tcp";
    public const string NetIdTcp6 = "tcp6";
    public const string NetIdUdp = "udp";
    public const string NetIdUdp6 = "udp6";

    // rpcbind strings are unbounded in the RFC; nothing legitimate comes close to this.
    public const int MaxStringLength = 255;
}
