using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Vfs.Tests.Contract;

/// <summary>
/// The FUSE mount's shortest road to ESTALE, played straight against LocalVfs with the inotify watcher on:
/// directories made, removed and renamed over three reused names, subdirectories made inside them. The
/// client keeps the node ids its own successful calls gave it, as the kernel's dentry cache does, and uses
/// them for the next call. The watcher sees the gateway's own events late (after the names were reused),
/// so it must never re-home, lose or drop a node because of them: no call may ever answer Stale.
/// </summary>
public sealed class DirectoryChurnTests : IDisposable
{
    private static readonly VfsStatus[] Expected =
        [VfsStatus.Ok, VfsStatus.NotFound, VfsStatus.Exists, VfsStatus.NotDirectory, VfsStatus.IsDirectory, VfsStatus.Invalid, VfsStatus.NotEmpty];

    private readonly TempTree _tree = new();
    private readonly GatewayStore _store;
    private readonly LocalVfs _vfs;

    public DirectoryChurnTests()
    {
        _store = GatewayStore.Open(_tree.State);
        _vfs = LocalVfs.Open(_store, "churn", _tree.Root, new LocalVfsOptions { WatchExternalChanges = true });
    }

    [Theory]
    [InlineData(20261124)]
    [InlineData(1)]
    [InlineData(7)]
    public void Mkdir_rmdir_and_rename_over_reused_names_never_go_stale(int seed)
    {
        Assert.True(_vfs.WatchingExternalChanges);
        var caller = Principal.Root;
        var root = _vfs.Root;
        var rng = new Random(seed);
        string[] names = ["a", "b", "c"];
        var cached = new Dictionary<string, NodeId>(); // what a kernel would hold for the top-level names
        var recent = new Queue<string>();

        NodeId? Dir(string name)
        {
            if (cached.TryGetValue(name, out var id)) return id;
            var found = _vfs.Lookup(caller, root, name);
            if (!found.IsOk) return null;
            return cached[name] = found.Value.Node;
        }

        for (var i = 0; i < 5000; i++)
        {
            var a = names[rng.Next(3)];
            var b = names[rng.Next(3)];
            var op = rng.Next(5);
            string call;
            VfsStatus status;
            switch (op)
            {
                case 0:
                    call = $"mkdir({a})";
                    var made = _vfs.Mkdir(caller, root, a);
                    status = made.Status;
                    if (made.IsOk) cached[a] = made.Value.Node;
                    break;
                case 1:
                    call = $"rmdir({a})";
                    status = _vfs.Rmdir(caller, root, a).Status;
                    if (status == VfsStatus.Ok) cached.Remove(a);
                    break;
                case 2:
                    call = $"rename({a}, {b})";
                    status = _vfs.Rename(caller, root, a, root, b).Status;
                    if (status == VfsStatus.Ok && a != b)
                    {
                        if (cached.Remove(a, out var moved)) cached[b] = moved;
                        else cached.Remove(b);
                    }
                    break;
                case 3:
                    call = $"mkdir({a}/{b})";
                    status = Dir(a) is { } parent ? _vfs.Mkdir(caller, parent, b).Status : VfsStatus.NotFound;
                    break;
                default:
                    call = $"rmdir({a}/{b})";
                    status = Dir(a) is { } from ? _vfs.Rmdir(caller, from, b).Status : VfsStatus.NotFound;
                    break;
            }
            recent.Enqueue($"#{i} {call} = {status}");
            if (recent.Count > 20) recent.Dequeue();
            Assert.True(Expected.Contains(status), $"{call} = {status} at op #{i}, seed {seed}\n  " + string.Join("\n  ", recent));
            // Let the watcher catch up at random moments too, besides its own thread: events then arrive
            // both while names are still in use and long after they were reused.
            if (rng.Next(8) == 0) _vfs.SyncExternalChanges();
        }

        _vfs.SyncExternalChanges();
        // Every name the client holds still resolves to the directory that is there on disk.
        foreach (var (name, id) in cached)
        {
            Assert.Equal(VfsStatus.Ok, _vfs.GetAttr(id).Status);
            Assert.Equal(id, _vfs.Lookup(caller, root, name).Value.Node);
        }
        foreach (var name in names)
            Assert.Equal(Directory.Exists(_tree.At(name)), _vfs.Lookup(caller, root, name).IsOk);
    }

    public void Dispose()
    {
        _vfs.Dispose();
        _store.Dispose();
        _tree.Dispose();
    }
}
