using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>The Gateway's FUSE mount: a LocalVfs over the backing directory, mounted with FuseMount in this process.</summary>
public sealed class GatewayMount : IMountUnderTest
{
    private readonly GatewayStore _store;
    private readonly LocalVfs _vfs;
    private FuseMount? _mount;

    private GatewayMount(GatewayStore store, LocalVfs vfs, string backing, string mountPoint)
    {
        _store = store;
        _vfs = vfs;
        BackingDirectory = backing;
        Path = mountPoint;
    }

    public string Target => "gateway";
    public string Path { get; }
    public string BackingDirectory { get; }
    public LocalVfs Vfs => _vfs;
    public FuseMount Mount => _mount!;

    public static Task<IMountUnderTest> MountAsync(string backing, string mountPoint, string stateDirectory)
    {
        var store = GatewayStore.Open(stateDirectory);
        LocalVfs? vfs = null;
        try
        {
            vfs = LocalVfs.Open(store, "export", backing, new LocalVfsOptions { WatchExternalChanges = true });
            var m = new GatewayMount(store, vfs, backing, mountPoint);
            m._mount = FuseMount.Mount(vfs, mountPoint, new FuseMountOptions { FsName = "gateway-test" });
            return Task.FromResult<IMountUnderTest>(m);
        }
        catch
        {
            vfs?.Dispose();
            store.Dispose();
            MountTable.Unmount(mountPoint);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_mount is not null) await _mount.DisposeAsync();
        }
        finally
        {
            MountTable.Unmount(Path); // in case the mount's own unmount failed: never leave a mount behind
            _vfs.Dispose();
            _store.Dispose();
        }
    }
}
