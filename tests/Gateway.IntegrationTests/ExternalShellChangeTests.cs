using Gateway.IntegrationTests.Support;
using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.IntegrationTests;

/// <summary>Renames and deletes made with plain shell commands (mv, rm, git-style save) while an export runs.</summary>
public sealed class ExternalShellChangeTests : IDisposable
{
    private readonly TempDirs _dirs = new();
    private readonly GatewayStore _store;
    private readonly LocalVfs _vfs;

    public ExternalShellChangeTests()
    {
        _store = GatewayStore.Open(_dirs.State);
        _vfs = LocalVfs.Open(_store, "shell", _dirs.Export);
    }

    private static void Sh(string script)
    {
        using var p = ChildProcess.Start("/bin/sh", "-c", script);
        Assert.Equal(0, p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult());
    }

    private NodeId Create(string relative)
    {
        var dir = Path.GetDirectoryName(relative) is { Length: > 0 } d ? _vfs.LookupPath(Principal.Root, d).Value : _vfs.Root;
        return _vfs.Create(Principal.Root, dir, Path.GetFileName(relative), CreateHow.Guarded()).Value.Node;
    }

    [Fact]
    public void Mv_in_the_shell_keeps_node_ids_and_rm_makes_them_stale()
    {
        var src = _vfs.Mkdir(Principal.Root, _vfs.Root, "src").Value.Node;
        _vfs.Mkdir(Principal.Root, _vfs.Root, "lib");
        var main = Create("src/main.c");
        var util = Create("src/util.c");
        var gone = Create("src/old.c");

        Sh($"cd '{_dirs.Export}' && mv src/main.c src/app.c && mv src/util.c lib/util.c && rm src/old.c && mv src source");
        _vfs.SyncExternalChanges();

        Assert.Equal(main, _vfs.LookupPath(Principal.Root, "source/app.c").Value);
        Assert.Equal(util, _vfs.LookupPath(Principal.Root, "lib/util.c").Value);
        Assert.Equal(src, _vfs.LookupPath(Principal.Root, "source").Value);
        Assert.Equal(VfsStatus.Ok, _vfs.GetAttr(main).Status);
        Assert.Equal(VfsStatus.Stale, _vfs.GetAttr(gone).Status);
        Assert.Equal(VfsStatus.NotFound, _vfs.LookupPath(Principal.Root, "src").Status);
    }

    [Fact]
    public void Rm_rf_of_a_tree_makes_every_node_in_it_stale()
    {
        _vfs.Mkdir(Principal.Root, _vfs.Root, "build");
        var obj = _vfs.LookupPath(Principal.Root, "build").Value;
        var ids = Enumerable.Range(0, 20).Select(i => Create($"build/o{i}")).ToList();
        Sh($"rm -rf '{_dirs.Export}/build'");
        _vfs.SyncExternalChanges();
        Assert.Equal(VfsStatus.Stale, _vfs.GetAttr(obj).Status);
        Assert.All(ids, id => Assert.Equal(VfsStatus.Stale, _vfs.GetAttr(id).Status));
    }

    public void Dispose()
    {
        _vfs.Dispose();
        _store.Dispose();
        _dirs.Dispose();
    }
}
