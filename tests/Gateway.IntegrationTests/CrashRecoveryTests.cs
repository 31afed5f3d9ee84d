using Gateway.IntegrationTests.Support;
using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.IntegrationTests;

/// <summary>kill -9 in the middle of a burst of namespace changes: the database and the index must survive.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    [Theory]
    [InlineData(300)]
    [InlineData(1200)]
    public async Task After_kill_9_during_creates_and_renames_the_database_is_sound_and_the_index_matches_the_disk(int burstMs)
    {
        using (var burst = ChildProcess.StartDotnet("Gateway.VfsBurst.dll", _dirs.Export, _dirs.State))
        {
            await burst.WaitForOutputAsync("ready", TimeSpan.FromSeconds(30));
            await Task.Delay(burstMs);
            burst.Signal(ChildProcess.SIGKILL);
            await burst.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(_dirs.Export)); // the burst did something

        using var store = GatewayStore.Open(_dirs.State);
        Assert.True(store.RecoveredFromCrash);
        Assert.Equal("ok", store.IntegrityCheck());
        using var vfs = LocalVfs.Open(store, "burst", _dirs.Export);
        Assert.NotNull(vfs.LastReconcile);

        // Every node the index kept is a file on disk, at the path the index says, with the same inode.
        var indexed = 0;
        foreach (var (id, relative) in vfs.IndexedPaths())
        {
            var full = Path.Combine(_dirs.Export, relative);
            Assert.True(Path.Exists(full), $"node {id} says {relative}, which is not on disk");
            Assert.Equal(VfsStatus.Ok, vfs.GetAttr(id).Status);
            Assert.Equal(id, vfs.LookupPath(Principal.Root, relative).Value);
            indexed++;
        }
        Assert.True(indexed > 0);

        // And every file on disk resolves, each to one node id.
        var ids = new HashSet<NodeId>();
        foreach (var path in Directory.EnumerateFileSystemEntries(_dirs.Export, "*", SearchOption.AllDirectories))
        {
            var r = vfs.LookupPath(Principal.Root, Path.GetRelativePath(_dirs.Export, path));
            Assert.Equal(VfsStatus.Ok, r.Status);
            Assert.True(ids.Add(r.Value), $"{path} shares a node id with another file");
        }
    }

    public void Dispose() => _dirs.Dispose();
}
