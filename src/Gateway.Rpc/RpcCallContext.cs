using System.Net;

namespace Gateway.Rpc;

// What a procedure handler knows about its call. One per call.
public sealed class RpcCallContext
{
    public RpcCallContext(uint xid, uint program, uint version, uint procedure, RpcCredential credential,
        RpcConnectionInfo connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(connection);
        Xid = xid;
        Program = program;
        Version = version;
        Procedure = procedure;
        Credential = credential;
        Connection = connection;
        CancellationToken = cancellationToken;
    }

    public uint Xid { get; }

    public uint Program { get; }

    public uint Version { get; }

    public uint Procedure { get; }

    public RpcCredential Credential { get; }

    public RpcConnectionInfo Connection { get; }

    public long ConnectionId => Connection.Id;

    public EndPoint? RemoteEndPoint => Connection.RemoteEndPoint;

    public EndPoint? LocalEndPoint => Connection.LocalEndPoint;

    // Cancelled when the connection closes or the server stops: the reply could not be sent.
    public CancellationToken CancellationToken { get; }
}
