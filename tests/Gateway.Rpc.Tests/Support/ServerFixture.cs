using System.Collections.Concurrent;
using System.Net;

namespace Gateway.Rpc.Tests.Support;

// An RpcServer on 127.0.0.1 with a free port, serving TestProgram (and more if given).
internal sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(RpcServer server, TestProgram program, ConcurrentQueue<string> log)
    {
        Server = server;
        Program = program;
        Log = log;
    }

    public RpcServer Server { get; }

    public TestProgram Program { get; }

    public ConcurrentQueue<string> Log { get; }

    public int Port => Server.Port;

    public static ServerFixture Start(TestProgram? program = null, RpcServerOptions? options = null,
        DuplicateRequestCache? cache = null, params IRpcProgram[] more)
    {
        var log = new ConcurrentQueue<string>();
        program ??= new TestProgram();
        var dispatcher = new RpcDispatcher(cache ?? new DuplicateRequestCache(), log.Enqueue);
        dispatcher.Register(program);
        foreach (IRpcProgram p in more)
        {
            dispatcher.Register(p);
        }

        options ??= new RpcServerOptions();
        options = new RpcServerOptions
        {
            MaxRecordSize = options.MaxRecordSize,
            MaxConcurrentCallsPerConnection = options.MaxConcurrentCallsPerConnection,
            MaxConnections = options.MaxConnections,
            DrainTimeout = options.DrainTimeout,
            Log = log.Enqueue,
        };
        var server = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), dispatcher, options);
        server.Start();
        return new ServerFixture(server, program, log);
    }

    public Task<RawRpcClient> ConnectAsync() => RawRpcClient.ConnectAsync(Port);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Server.StopAsync(cts.Token);
    }
}
