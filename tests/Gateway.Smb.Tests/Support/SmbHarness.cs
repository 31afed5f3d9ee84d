using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Smb.Tests.Support;

/// <summary>
/// A real SmbServer on 127.0.0.1 (free port) over a LocalVfs in a temp directory: share "share"
/// (plus "secret", which requires encryption), user "user" / "pass" acting as this process's uid.
/// </summary>
public sealed partial class SmbHarness : IAsyncDisposable
{
    public const string User = "user";
    public const string Password = "pass";

    private readonly GatewayStore _store;
    private readonly LocalVfs _vfs;
    private readonly LocalVfs _secretVfs;

    public SmbHarness(bool signingRequired = true, bool allowGuest = false, bool watchExternal = false)
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-smb-" + Guid.NewGuid().ToString("N")[..12]);
        Root = Path.Combine(Base, "export");
        SecretRoot = Path.Combine(Base, "secret");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(SecretRoot);
        Directory.CreateDirectory(Path.Combine(Base, "state"));
        _store = GatewayStore.Open(Path.Combine(Base, "state"));
        _vfs = LocalVfs.Open(_store, "share", Root, new LocalVfsOptions { WatchExternalChanges = watchExternal });
        _secretVfs = LocalVfs.Open(_store, "secret", SecretRoot, new LocalVfsOptions { WatchExternalChanges = false });
        Users.Add(User, Password, geteuid(), getegid());
        Server = SmbServer.Start(new IPEndPoint(IPAddress.Loopback, 0), new SmbServerOptions
        {
            Shares = [new SmbShare("share", _vfs, false), new SmbShare("secret", _secretVfs, true)],
            Users = Users,
            ServerGuid = Guid.NewGuid(),
            SigningRequired = signingRequired,
            AllowGuest = allowGuest,
            Log = Logs.Enqueue,
        });
    }

    public string Base { get; }
    public string Root { get; }
    public string SecretRoot { get; }
    public MemoryUsers Users { get; } = new();
    public SmbServer Server { get; }
    public int Port => Server.LocalEndPoint.Port;
    public ConcurrentQueue<string> Logs { get; } = new();
    public LocalVfs Vfs => _vfs;

    public string At(string relative) => Path.Combine(Root, relative);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _vfs.Dispose();
        _secretVfs.Dispose();
        _store.Dispose();
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial uint getegid();
}
