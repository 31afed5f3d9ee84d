using System.Collections.Concurrent;
using Gateway.Nfs.Mount;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Tests.Support;

/// <summary>
/// A real LocalVfs over a temp directory ("/export", allowed to 127.0.0.1 and ::1), the dispatcher
/// with a duplicate request cache and both programs: what the host wires, minus the sockets.
/// Optionally a second export ("/second") with its own policy.
/// </summary>
internal sealed class NfsHarness : IDisposable
{
    public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private readonly ExportPolicy _policy;
    private readonly ExportPolicy? _secondPolicy;

    public NfsHarness(ExportPolicy? policy = null, ExportPolicy? secondPolicy = null)
    {
        _policy = policy ?? ExportPolicy.Loopback;
        _secondPolicy = secondPolicy;
        Start();
    }

    private void Start()
    {
        Store = GatewayStore.Open(Tree.State);
        Vfs = LocalVfs.Open(Store, "export", Tree.Root, new LocalVfsOptions { WatchExternalChanges = false });
        Export = NfsExport.For(Vfs, _policy);
        var exports = new List<NfsExport> { Export };
        if (_secondPolicy is not null)
        {
            var secondRoot = Path.Combine(Tree.Base, "second");
            Directory.CreateDirectory(secondRoot);
            SecondVfs = LocalVfs.Open(Store, "second", secondRoot, new LocalVfsOptions { WatchExternalChanges = false });
            SecondExport = NfsExport.For(SecondVfs, _secondPolicy);
            exports.Add(SecondExport);
        }
        Exports = new NfsExports(exports);
        Codec = new NfsHandleCodec(NfsHandleCodec.LoadOrCreateKey(Store));
        Dispatcher = new RpcDispatcher(new DuplicateRequestCache(), Logs.Enqueue);
        Nfs = new Nfs3Program(Exports, Codec, Logs.Enqueue);
        Mount = new MountProgram(Exports, Codec, Logs.Enqueue);
        Dispatcher.Register(Nfs);
        Dispatcher.Register(Mount);
    }

    /// <summary>A gateway restart: everything closed and opened again over the same state directory.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    public TempTree Tree { get; } = new();
    public GatewayStore Store { get; private set; } = null!;
    public LocalVfs Vfs { get; private set; } = null!;
    public LocalVfs? SecondVfs { get; private set; }
    public NfsExport Export { get; private set; } = null!;
    public NfsExport? SecondExport { get; private set; }
    public NfsExports Exports { get; private set; } = null!;
    public NfsHandleCodec Codec { get; private set; } = null!;
    public RpcDispatcher Dispatcher { get; private set; } = null!;
    public Nfs3Program Nfs { get; private set; } = null!;
    public MountProgram Mount { get; private set; } = null!;
    public ConcurrentQueue<string> Logs { get; } = new();

    public NfsClient Client(string remote = "127.0.0.1", AuthSysParams? credential = null, bool authNone = false) =>
        new(Dispatcher, remote, authNone ? null : credential ?? NfsClient.Sys());

    public byte[] HandleOf(NodeId node) => Codec.Encode(Export.Id, node);

    public byte[] RootHandle => HandleOf(Vfs.Root);

    public void Dispose()
    {
        // No procedure may end in an exception: that is SYSTEM_ERR on the wire, a server bug.
        Assert.DoesNotContain(Logs, line => line.Contains("SYSTEM_ERR", StringComparison.Ordinal));
        Stop();
        Tree.Dispose();
    }

    private void Stop()
    {
        SecondVfs?.Dispose();
        Vfs.Dispose();
        Store.Dispose();
    }
}
