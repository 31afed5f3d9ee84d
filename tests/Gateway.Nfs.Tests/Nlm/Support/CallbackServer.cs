using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Nlm.Support;

internal sealed record RecordedCall(uint Program, uint Procedure, byte[] Arguments, IPAddress? From);

/// <summary>
/// An RPC program that records every call and answers with <see cref="Reply"/> (empty by default):
/// a client's NLM service (GRANTED, the _RES calls), its statd (SM_NOTIFY), an SM_MON requester.
/// </summary>
internal sealed class RecordingProgram(uint program, uint version, Recorder<RecordedCall> calls) : IRpcProgram
{
    private readonly ProcedureDescriptor?[] _table = Enumerable.Range(0, 32)
        .Select(p => (ProcedureDescriptor?)new ProcedureDescriptor((uint)p, $"P{p}", (call, arguments, results) =>
        {
            var bytes = arguments.ToArray();
            if (call.Procedure != 0) calls.Add(new RecordedCall(call.Program, call.Procedure, bytes, call.Connection.RemoteAddress));
            return ValueTask.CompletedTask;
        })).ToArray();

    public uint Program => program;
    public uint MinVersion => version;
    public uint MaxVersion => version;
    public string Name => $"recording {program}";

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint v) => _table;
}

/// <summary>
/// A client's NLM service: GRANTED (5) is answered with <see cref="GrantedAnswer"/> and the call's
/// cookie; everything else (GRANTED_MSG, the _RES calls) is recorded with an empty reply.
/// </summary>
internal sealed class ClientNlmService(Recorder<RecordedCall> calls) : IRpcProgram
{
    public Nlm4Stat GrantedAnswer { get; set; } = Nlm4Stat.NLM4_GRANTED;

    public uint Program => Nlm4.Program;
    public uint MinVersion => Nlm4.Version;
    public uint MaxVersion => Nlm4.Version;
    public string Name => "client NLM";

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => Enumerable.Range(0, 24)
        .Select(p => (ProcedureDescriptor?)new ProcedureDescriptor((uint)p, $"P{p}", Handle)).ToArray();

    private ValueTask Handle(RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var bytes = arguments.ToArray();
        if (call.Procedure == 0) return ValueTask.CompletedTask;
        calls.Add(new RecordedCall(call.Program, call.Procedure, bytes, call.Connection.RemoteAddress));
        if (call.Procedure == (uint)Nlm4Procedure.GRANTED)
        {
            var reader = new XdrReader(bytes);
            var cookie = reader.ReadOpaque(1024).ToArray();
            var w = new XdrWriter(results);
            w.WriteOpaque(cookie);
            w.WriteUInt32((uint)GrantedAnswer);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>A real TCP RPC server on 127.0.0.1 standing in for a client host's services.</summary>
internal sealed class CallbackServer : IAsyncDisposable
{
    private readonly RpcServer _server;

    public CallbackServer(params IRpcProgram[] extra)
    {
        Nlm = new ClientNlmService(Calls);
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(Nlm);
        dispatcher.Register(new RecordingProgram(Nsm1.Program, Nsm1.Version, Calls));
        foreach (var p in extra) dispatcher.Register(p);
        _server = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), dispatcher);
        _server.Start();
    }

    public Recorder<RecordedCall> Calls { get; } = new();

    public ClientNlmService Nlm { get; }

    public IPEndPoint EndPoint => _server.LocalEndPoint;

    /// <summary>A resolver that sends every program of every host here.</summary>
    public TestResolver Resolver() => new(EndPoint);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>An endpoint nobody listens on: connecting to it is refused.</summary>
    public static IPEndPoint DeadEndPoint()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }
}

/// <summary>Sends every callback to one endpoint (or nowhere), recording which hosts were looked up.</summary>
internal sealed class TestResolver(IPEndPoint? target = null) : ICallbackResolver
{
    public Recorder<(IPAddress Host, uint Program)> Lookups { get; } = new();

    public ValueTask<EndPoint?> ResolveAsync(IPAddress host, uint program, uint version, CancellationToken cancellationToken)
    {
        Lookups.Add((host, program));
        return ValueTask.FromResult<EndPoint?>(target);
    }
}
