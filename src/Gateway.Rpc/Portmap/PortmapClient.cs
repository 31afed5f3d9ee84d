using System.Buffers;
using System.Net;
using System.Net.Sockets;
using static Gateway.Rpc.Portmap.PortmapConstants;

namespace Gateway.Rpc.Portmap;

// Talks to a port mapper: the system's rpcbind (to register the gateway's programs when
// one is running) or PortmapProgram. Linux rpcbind accepts SET/UNSET only from local
// transports: its AF_LOCAL socket (/run/rpcbind.sock, where it also learns the caller's
// uid), or TCP/UDP from 127.0.0.1 only when started with -l or -i; anything else gets
// AUTH_ERROR AUTH_TOOWEAK (an RpcCallException here). ConnectToSystemAsync prefers the
// socket for that reason.
public sealed class PortmapClient : IAsyncDisposable
{
    public const string SystemRpcbindSocketPath = "/run/rpcbind.sock";

    private readonly RpcClient _rpc;

    public PortmapClient(RpcClient rpc)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
    }

    public static async Task<PortmapClient> ConnectAsync(EndPoint endPoint, AuthSysParams? credential = null,
        CancellationToken cancellationToken = default) =>
        new(await RpcClient.ConnectAsync(endPoint, credential, cancellationToken).ConfigureAwait(false));

    // The system rpcbind: its Unix socket when present, else 127.0.0.1:111.
    public static Task<PortmapClient> ConnectToSystemAsync(AuthSysParams? credential = null,
        CancellationToken cancellationToken = default)
    {
        EndPoint endPoint = File.Exists(SystemRpcbindSocketPath)
            ? new UnixDomainSocketEndPoint(SystemRpcbindSocketPath)
            : new IPEndPoint(IPAddress.Loopback, Port);
        return ConnectAsync(endPoint, credential, cancellationToken);
    }

    public async Task NullAsync(uint version = PmapVersion, CancellationToken cancellationToken = default) =>
        await _rpc.CallAsync(Program, version, PMAPPROC_NULL, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);

    // --- version 2 ---

    public Task<bool> SetAsync(uint program, uint version, uint protocol, int port, CancellationToken cancellationToken = default) =>
        CallBoolAsync(PmapVersion, PMAPPROC_SET, Encode(new PmapMapping(program, version, protocol, (uint)port)), cancellationToken);

    public Task<bool> UnsetAsync(uint program, uint version, CancellationToken cancellationToken = default) =>
        CallBoolAsync(PmapVersion, PMAPPROC_UNSET, Encode(new PmapMapping(program, version, 0, 0)), cancellationToken);

    // 0 when not registered.
    public async Task<int> GetPortAsync(uint program, uint version, uint protocol, CancellationToken cancellationToken = default)
    {
        byte[] results = await _rpc.CallAsync(Program, PmapVersion, PMAPPROC_GETPORT,
            Encode(new PmapMapping(program, version, protocol, 0)), cancellationToken).ConfigureAwait(false);
        var reader = new XdrReader(results);
        return (int)reader.ReadUInt32();
    }

    public async Task<IReadOnlyList<PmapMapping>> DumpAsync(CancellationToken cancellationToken = default)
    {
        byte[] results = await _rpc.CallAsync(Program, PmapVersion, PMAPPROC_DUMP, ReadOnlyMemory<byte>.Empty, cancellationToken)
            .ConfigureAwait(false);
        var list = new List<PmapMapping>();
        var reader = new XdrReader(results);
        while (reader.ReadBool())
        {
            list.Add(PmapMapping.Read(ref reader));
        }

        return list;
    }

    // --- versions 3 and 4 ---

    public Task<bool> SetAsync(RpcbMapping mapping, CancellationToken cancellationToken = default) =>
        CallBoolAsync(RpcbVersion4, RPCBPROC_SET, Encode(mapping), cancellationToken);

    // An empty NetId removes the mapping on every netid.
    public Task<bool> UnsetAsync(RpcbMapping mapping, CancellationToken cancellationToken = default) =>
        CallBoolAsync(RpcbVersion4, RPCBPROC_UNSET, Encode(mapping), cancellationToken);

    // The universal address of (program, version) on this connection's netid, or of another
    // version of the program when that one is not registered; "" when none.
    public async Task<string> GetAddressAsync(uint program, uint version, uint rpcbVersion = RpcbVersion3,
        CancellationToken cancellationToken = default)
    {
        byte[] results = await _rpc.CallAsync(Program, rpcbVersion, RPCBPROC_GETADDR,
            Encode(new RpcbMapping(program, version, string.Empty, string.Empty, string.Empty)), cancellationToken)
            .ConfigureAwait(false);
        var reader = new XdrReader(results);
        return reader.ReadString(MaxStringLength);
    }

    // Version 4 GETVERSADDR: the exact version only; "" when not registered.
    public async Task<string> GetVersionAddressAsync(uint program, uint version, CancellationToken cancellationToken = default)
    {
        byte[] results = await _rpc.CallAsync(Program, RpcbVersion4, RPCBPROC_GETVERSADDR,
            Encode(new RpcbMapping(program, version, string.Empty, string.Empty, string.Empty)), cancellationToken)
            .ConfigureAwait(false);
        var reader = new XdrReader(results);
        return reader.ReadString(MaxStringLength);
    }

    public async Task<IReadOnlyList<RpcbMapping>> DumpMappingsAsync(CancellationToken cancellationToken = default)
    {
        byte[] results = await _rpc.CallAsync(Program, RpcbVersion4, RPCBPROC_DUMP, ReadOnlyMemory<byte>.Empty, cancellationToken)
            .ConfigureAwait(false);
        var list = new List<RpcbMapping>();
        var reader = new XdrReader(results);
        while (reader.ReadBool())
        {
            list.Add(RpcbMapping.Read(ref reader));
        }

        return list;
    }

    public ValueTask DisposeAsync() => _rpc.DisposeAsync();

    private async Task<bool> CallBoolAsync(uint version, uint procedure, byte[] arguments, CancellationToken cancellationToken)
    {
        byte[] results = await _rpc.CallAsync(Program, version, procedure, arguments, cancellationToken).ConfigureAwait(false);
        var reader = new XdrReader(results);
        return reader.ReadBool();
    }

    private static byte[] Encode(PmapMapping mapping)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        var writer = new XdrWriter(buffer);
        mapping.Write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Encode(RpcbMapping mapping)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new XdrWriter(buffer);
        mapping.Write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }
}
