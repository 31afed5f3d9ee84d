using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount.Procedures;

// RFC 1813 §5.2.4, void MOUNTPROC3_UMNTALL(void) = 4;  (the same in v1)
//
// Removes every mount list entry of the calling host.
internal static class UmntAll
{
    public static ValueTask Handle(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        mount.Mounts.RemoveHost(MountContext.HostOf(call));
        return ValueTask.CompletedTask;
    }
}
