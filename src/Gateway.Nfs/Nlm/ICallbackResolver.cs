using System.Net;
using Gateway.Rpc;
using Gateway.Rpc.Portmap;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// Finds an RPC service on a client host for the calls the gateway makes to it: NLM GRANTED and the
/// _RES answers of the _MSG procedures (program 100021 v4), and NSM SM_NOTIFY after a restart
/// (program 100024 v1). The default asks the portmapper on the host; tests point it elsewhere.
/// </summary>
public interface ICallbackResolver
{
    /// <summary>The TCP endpoint of (program, version) on <paramref name="host"/>; null when it is not registered.</summary>
    ValueTask<EndPoint?> ResolveAsync(IPAddress host, uint program, uint version, CancellationToken cancellationToken);
}

/// <summary>Asks the portmapper of the host (PMAPPROC_GETPORT, TCP), as Linux lockd and sm-notify do.</summary>
public sealed class PortmapCallbackResolver(int portmapPort = PortmapConstants.Port) : ICallbackResolver
{
    public static PortmapCallbackResolver Instance { get; } = new();

    /// <summary>Where the portmapper listens on every host: 111, unless a test says otherwise.</summary>
    public int PortmapPort { get; } = portmapPort;

    public async ValueTask<EndPoint?> ResolveAsync(IPAddress host, uint program, uint version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        await using var portmap = await PortmapClient.ConnectAsync(new IPEndPoint(host, PortmapPort), null, cancellationToken)
            .ConfigureAwait(false);
        var port = await portmap.GetPortAsync(program, version, PortmapConstants.IPPROTO_TCP, cancellationToken).ConfigureAwait(false);
        return port is > 0 and <= IPEndPoint.MaxPort ? new IPEndPoint(host, port) : null;
    }
}

/// <summary>One outgoing call to a client's service: resolve, connect, call, close; bounded by a timeout.</summary>
internal static class RpcCallback
{
    /// <summary>
    /// The results of the call. Throws when it could not be delivered: no such service, connection
    /// refused or reset, a rejected call, or <paramref name="timeout"/> passed (OperationCanceledException).
    /// </summary>
    public static async Task<byte[]> CallAsync(ICallbackResolver resolver, IPAddress host, uint program, uint version,
        uint procedure, byte[] arguments, AuthSysParams credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var endPoint = await resolver.ResolveAsync(host, program, version, cts.Token).ConfigureAwait(false)
            ?? throw new IOException($"program {program} v{version} is not registered on {host}");
        await using var client = await RpcClient.ConnectAsync(endPoint, credential, cts.Token).ConfigureAwait(false);
        return await client.CallAsync(program, version, procedure, arguments, cts.Token).ConfigureAwait(false);
    }

    /// <summary>AUTH_SYS as root of this host, the credential Linux lockd and statd call with.</summary>
    public static AuthSysParams Credential(string hostName) =>
        new(0, hostName.Length > AuthSysParams.MaxMachineNameLength ? hostName[..AuthSysParams.MaxMachineNameLength] : hostName, 0, 0, []);
}
