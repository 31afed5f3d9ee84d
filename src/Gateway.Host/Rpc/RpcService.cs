using System.Net;
using System.Net.Sockets;
using Gateway.Rpc;
using Gateway.Rpc.Portmap;

namespace Gateway.Host.Rpc;

/// <summary>
/// The ONC RPC programs of a gateway (NFS, MOUNT, and NLM/NSM as they arrive) on one TCP port, made
/// findable through a portmapper: ours on port 111 when it is free, else the system rpcbind, else
/// none (clients then pass the port explicitly, as the startup message shows).
/// </summary>
public sealed class RpcService : IAsyncDisposable
{
    private readonly RpcServer _server;
    private readonly IReadOnlyList<IRpcProgram> _programs;
    private readonly Action<string> _log;
    private RpcServer? _portmapServer;
    private bool _registeredWithSystem;

    private RpcService(RpcServer server, IReadOnlyList<IRpcProgram> programs, Action<string> log)
    {
        _server = server;
        _programs = programs;
        _log = log;
    }

    public int Port => _server.Port;
    public IPEndPoint EndPoint => _server.LocalEndPoint;
    public RpcDispatcher Dispatcher => _server.Dispatcher;

    /// <summary>How clients find the programs: "gateway portmapper on 111", "system rpcbind", or why neither.</summary>
    public string PortmapStatus { get; private set; } = "portmapper off";

    public static async Task<RpcService> StartAsync(IPEndPoint endPoint, IReadOnlyList<IRpcProgram> programs, PortmapMode portmap, Action<string> log)
    {
        var dispatcher = new RpcDispatcher(new DuplicateRequestCache(), log);
        foreach (var p in programs) dispatcher.Register(p);
        var server = new RpcServer(endPoint, dispatcher, new RpcServerOptions { Log = log });
        try
        {
            server.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            await server.DisposeAsync();
            throw new GatewayStartupException($"port {endPoint.Port} on {endPoint.Address} is already in use (another NFS server?); choose one with --nfs-port");
        }
        catch (SocketException e)
        {
            await server.DisposeAsync();
            throw new GatewayStartupException($"cannot listen on {endPoint}: {e.Message}");
        }
        var service = new RpcService(server, programs, log);
        if (portmap == PortmapMode.Auto) await service.SetUpPortmapAsync(endPoint.Address);
        return service;
    }

    private async Task SetUpPortmapAsync(IPAddress address)
    {
        // A system rpcbind already answering: register with it (through its Unix socket, the only way it accepts SET).
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var client = await PortmapClient.ConnectToSystemAsync(cancellationToken: cts.Token);
            await client.NullAsync(cancellationToken: cts.Token);
            foreach (var p in _programs)
                for (var v = p.MinVersion; v <= p.MaxVersion; v++)
                {
                    await client.UnsetAsync(p.Program, v, cts.Token);
                    await client.SetAsync(p.Program, v, PortmapConstants.IPPROTO_TCP, Port, cts.Token);
                }
            _registeredWithSystem = true;
            PortmapStatus = "registered with the system rpcbind";
            return;
        }
        catch (Exception e) when (e is SocketException or IOException or RpcCallException or OperationCanceledException)
        {
            // nobody on 111 (or it refused us): try to serve it ourselves
        }

        var registry = new PortmapRegistry();
        var programs = new List<IRpcProgram>(_programs);
        foreach (var p in programs) registry.RegisterTcp(p, EndPoint);
        var portmap = new PortmapProgram(registry);
        registry.RegisterTcp(portmap, new IPEndPoint(address, PortmapConstants.Port));
        var dispatcher = new RpcDispatcher(null, _log);
        dispatcher.Register(portmap);
        var server = new RpcServer(new IPEndPoint(address, PortmapConstants.Port), dispatcher);
        try
        {
            server.Start();
            _portmapServer = server;
            PortmapStatus = $"portmapper served on {address}:111";
        }
        catch (SocketException e)
        {
            await server.DisposeAsync();
            PortmapStatus = $"no portmapper (port 111: {e.SocketErrorCode}); clients must give the ports";
            _log($"portmapper skipped: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_registeredWithSystem)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await using var client = await PortmapClient.ConnectToSystemAsync(cancellationToken: cts.Token);
                foreach (var p in _programs)
                    for (var v = p.MinVersion; v <= p.MaxVersion; v++)
                        await client.UnsetAsync(p.Program, v, cts.Token);
            }
            catch (Exception e) when (e is SocketException or IOException or RpcCallException or OperationCanceledException)
            {
                _log($"could not unregister from rpcbind: {e.Message}");
            }
        }
        if (_portmapServer is not null) await _portmapServer.DisposeAsync();
        await _server.DisposeAsync();
    }
}
