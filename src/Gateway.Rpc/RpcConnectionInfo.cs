using System.Net;

namespace Gateway.Rpc;

// What the dispatcher knows of the connection a call came in on.
public sealed class RpcConnectionInfo
{
    public RpcConnectionInfo(long id, EndPoint? remoteEndPoint, EndPoint? localEndPoint)
    {
        Id = id;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
    }

    public long Id { get; }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    // The caller's address, IPv4-mapped IPv6 folded to IPv4 (the DRC keys on it).
    public IPAddress? RemoteAddress => RemoteEndPoint is IPEndPoint ip
        ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address)
        : null;

    public override string ToString() => $"#{Id} {RemoteEndPoint}";
}
