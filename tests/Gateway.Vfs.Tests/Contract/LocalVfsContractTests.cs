using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Vfs.Tests.Contract;

public sealed class LocalVfsContractTests : VfsContractTests
{
    protected override IVfs Open(GatewayStore store, string name, string root, bool readOnly) =>
        LocalVfs.Open(store, name, root, new LocalVfsOptions { ReadOnly = readOnly });

    protected override void SyncExternal(IVfs vfs) => ((LocalVfs)vfs).SyncExternalChanges();
}
