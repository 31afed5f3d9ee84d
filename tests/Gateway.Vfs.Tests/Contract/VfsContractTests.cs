using Gateway.Vfs.Store;

namespace Gateway.Vfs.Tests.Contract;

/// <summary>
/// The behaviour every Vfs backend must have. A backend's test class derives from this (and its
/// partial siblings) and says how to open an export over a directory.
/// </summary>
public abstract partial class VfsContractTests : IDisposable
{
    protected static readonly Principal Root = Principal.Root;
    protected static readonly Principal User = new(1000, 1000, Array.Empty<uint>(), "user");

    protected readonly TempTree Tree = new();
    private readonly List<IDisposable> _opened = new();

    protected VfsContractTests()
    {
        Store = GatewayStore.Open(Tree.State);
        Vfs = Open(Store, "test", Tree.Root, readOnly: false);
    }

    protected GatewayStore Store { get; private set; }
    protected IVfs Vfs { get; private set; }

    protected abstract IVfs Open(GatewayStore store, string name, string root, bool readOnly);

    /// <summary>Lets the backend catch up with changes made on disk outside it (inotify), deterministically.</summary>
    protected abstract void SyncExternal(IVfs vfs);

    /// <summary>Closes everything and opens the same state directory again: a gateway restart.</summary>
    protected void Restart()
    {
        Vfs.Dispose();
        Store.Dispose();
        Store = GatewayStore.Open(Tree.State);
        Vfs = Open(Store, "test", Tree.Root, readOnly: false);
    }

    protected IVfs OpenExtra(string name, string root, bool readOnly = false)
    {
        var vfs = Open(Store, name, root, readOnly);
        _opened.Add(vfs);
        return vfs;
    }

    protected NodeId CreateFile(string name, string content = "", NodeId? dir = null)
    {
        var r = Vfs.Create(Root, dir ?? Vfs.Root, name, CreateHow.Guarded());
        Assert.Equal(VfsStatus.Ok, r.Status);
        if (content.Length > 0)
        {
            var w = Vfs.WriteAsync(Root, r.Value.Node, 0, System.Text.Encoding.UTF8.GetBytes(content), WriteStability.FileSync).AsTask().Result;
            Assert.Equal(VfsStatus.Ok, w.Status);
        }
        return r.Value.Node;
    }

    protected NodeId MakeDir(string name, NodeId? dir = null)
    {
        var r = Vfs.Mkdir(Root, dir ?? Vfs.Root, name);
        Assert.Equal(VfsStatus.Ok, r.Status);
        return r.Value.Node;
    }

    protected NodeId LookupOk(string name, NodeId? dir = null)
    {
        var r = Vfs.Lookup(Root, dir ?? Vfs.Root, name);
        Assert.Equal(VfsStatus.Ok, r.Status);
        return r.Value.Node;
    }

    protected string ReadAll(NodeId node)
    {
        var buffer = new byte[1 << 20];
        var r = Vfs.ReadAsync(Root, node, 0, buffer).AsTask().Result;
        Assert.Equal(VfsStatus.Ok, r.Status);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, r.Value.Count);
    }

    protected List<DirEntry> ListAll(NodeId dir, int pageSize = 1000)
    {
        var all = new List<DirEntry>();
        ulong cookie = 0;
        for (var guard = 0; guard < 100_000; guard++)
        {
            var page = Vfs.ReadDir(Root, dir, cookie, pageSize, withAttributes: false);
            Assert.Equal(VfsStatus.Ok, page.Status);
            all.AddRange(page.Value.Entries);
            if (page.Value.Eof) return all;
            cookie = page.Value.Entries[^1].Cookie;
        }
        throw new InvalidOperationException("listing never reached eof");
    }

    public void Dispose()
    {
        foreach (var d in _opened) d.Dispose();
        Vfs.Dispose();
        Store.Dispose();
        Tree.Dispose();
        GC.SuppressFinalize(this);
    }
}
