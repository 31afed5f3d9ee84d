using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount.Procedures;

// RFC 1813 §5.2.3, void MOUNTPROC3_UMNT(dirpath) = 3;  (the same in v1)
//
// Removes the caller's entry for that path from the mount list. Nothing else depends on it:
// handles stay valid (NFS is stateless), as with Linux mountd.
internal static class Umnt
{
    public static ValueTask Handle(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var dirpath = MountContext.ReadDirPath(ref args);
        if (dirpath is not null) mount.Mounts.Remove(MountContext.HostOf(call), NfsExport.NormalizePath(dirpath) ?? dirpath);
        return ValueTask.CompletedTask;
    }
}
