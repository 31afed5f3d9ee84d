using System.Collections.Concurrent;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Tests.Nlm.Support;

/// <summary>
/// NLM and NSM over a real LocalVfs ("/export") and the dispatcher, without sockets: what the host
/// wires. <see cref="Restart"/> closes everything and opens it again over the same state directory,
/// as a gateway restart does. Callbacks go wherever <see cref="Callbacks"/> points (nowhere by default).
/// </summary>
internal sealed class NlmHarness : IDisposable
{
    private readonly ExportPolicy _policy;

    public NlmHarness(TimeSpan? grace = null, ICallbackResolver? callbacks = null, ExportPolicy? policy = null)
    {
        _policy = policy ?? ExportPolicy.Loopback;
        Grace = grace ?? TimeSpan.FromSeconds(60);
        Callbacks = callbacks ?? new TestResolver();
        Start();
    }

    public TempTree Tree { get; } = new();
    public TimeSpan Grace { get; private set; }
    public ICallbackResolver Callbacks { get; set; }
    public GatewayStore Store { get; private set; } = null!;
    public LocalVfs Vfs { get; private set; } = null!;
    public NfsExport Export { get; private set; } = null!;
    public NfsExports Exports { get; private set; } = null!;
    public NfsHandleCodec Codec { get; private set; } = null!;
    public RpcDispatcher Dispatcher { get; private set; } = null!;
    public NlmProgram Nlm { get; private set; } = null!;
    public NsmProgram Nsm { get; private set; } = null!;
    public ConcurrentQueue<string> Logs { get; } = new();

    private void Start()
    {
        Store = GatewayStore.Open(Tree.State);
        Vfs = LocalVfs.Open(Store, "export", Tree.Root, new LocalVfsOptions { WatchExternalChanges = false });
        Export = NfsExport.For(Vfs, _policy);
        Exports = new NfsExports(Export);
        Codec = new NfsHandleCodec(NfsHandleCodec.LoadOrCreateKey(Store));
        Dispatcher = new RpcDispatcher(new DuplicateRequestCache(), Logs.Enqueue);
        Nsm = new NsmProgram(Store, new NsmOptions
        {
            HostName = "gateway-test",
            Callbacks = Callbacks,
            NotifyAttempts = 1,
            NotifyTimeout = TimeSpan.FromSeconds(10),
        }, Logs.Enqueue);
        Nlm = new NlmProgram(Exports, Codec, new NlmOptions
        {
            GracePeriod = Grace,
            Store = Store,
            Nsm = Nsm,
            Callbacks = Callbacks,
            GrantedAttempts = 1,
            CallbackTimeout = TimeSpan.FromSeconds(10),
            HostName = "gateway-test",
        }, Logs.Enqueue);
        Dispatcher.Register(Nlm);
        Dispatcher.Register(Nsm);
    }

    /// <summary>A gateway restart over the same state directory, optionally with another grace period.</summary>
    public void Restart(TimeSpan? grace = null)
    {
        Stop();
        if (grace is { } g) Grace = g;
        Start();
    }

    public NfsClient Rpc(string remote = "127.0.0.1", AuthSysParams? credential = null) =>
        new(Dispatcher, remote, credential ?? NfsClient.Sys());

    public NlmClient Client(NlmCaller caller, string remote = "127.0.0.1", AuthSysParams? credential = null) =>
        NlmClient.Over(Rpc(remote, credential), caller);

    /// <summary>Creates a file in the export and returns its NFSv3 handle.</summary>
    public byte[] CreateFile(string name, string content = "data")
    {
        File.WriteAllText(Tree.At(name), content);
        return HandleOf(name);
    }

    public byte[] HandleOf(string name)
    {
        var node = Vfs.LookupPath(Principal.Root, name);
        Assert.True(node.IsOk, $"lookup {name}: {node.Status}");
        return Codec.Encode(Export.Id, node.Value);
    }

    public NodeId NodeOf(string name) => Vfs.LookupPath(Principal.Root, name).Value;

    public void Dispose()
    {
        // No procedure may end in an exception: that is SYSTEM_ERR on the wire, a server bug.
        Assert.DoesNotContain(Logs, line => line.Contains("SYSTEM_ERR", StringComparison.Ordinal));
        Stop();
        Tree.Dispose();
    }

    private void Stop()
    {
        Nlm.Dispose();
        Nsm.Dispose();
        Vfs.Dispose();
        Store.Dispose();
    }
}
