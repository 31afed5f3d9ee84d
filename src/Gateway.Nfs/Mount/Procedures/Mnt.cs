using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount.Procedures;

// RFC 1813 §5.2.1, mountres3 MOUNTPROC3_MNT(dirpath) = 1;
//
//   typedef opaque fhandle3<FHSIZE3>;          (FHSIZE3 = 64)
//   struct mountres3_ok { fhandle3 fhandle; int auth_flavors<>; };
//   union mountres3 switch (mountstat3 fhs_status) { case MNT3_OK: mountres3_ok mountinfo; default: void; };
//
// MOUNT v1 (RFC 1094 Appendix A), same procedure number, a fixed 32-byte handle:
//
//   typedef opaque fhandle[FHSIZE];            (FHSIZE = 32)
//   union fhstatus switch (unsigned fhs_status) { case 0: fhandle fhs_fhandle; default: void; };
//
// Our handles are exactly 32 bytes, so both versions hand out the same handle.
internal static class Mnt
{
    // AUTH_SYS first: the flavour clients should prefer; AUTH_NONE callers act as the anonymous user.
    private static readonly uint[] Flavors = [(uint)AuthFlavor.AUTH_SYS, (uint)AuthFlavor.AUTH_NONE];

    public static ValueTask HandleV3(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var status = Mount(mount, call, arguments, out var handle);
        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status != MountStatus.MNT3_OK) return ValueTask.CompletedTask;
        reply.WriteOpaque(handle);
        reply.WriteUInt32((uint)Flavors.Length);
        foreach (var flavor in Flavors) reply.WriteUInt32(flavor);
        return ValueTask.CompletedTask;
    }

    public static ValueTask HandleV1(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var status = Mount(mount, call, arguments, out var handle);
        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == MountStatus.MNT3_OK) reply.WriteOpaqueFixed(handle);
        return ValueTask.CompletedTask;
    }

    private static MountStatus Mount(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, out byte[] handle)
    {
        handle = [];
        var args = new XdrReader(arguments.Span);
        var dirpath = MountContext.ReadDirPath(ref args);
        var status = mount.Resolve(call, dirpath, out var export, out var node);
        if (status != MountStatus.MNT3_OK) return status;
        handle = mount.Codec.Encode(export.Id, node);
        var path = NfsExport.NormalizePath(dirpath) ?? dirpath!;
        mount.Mounts.Add(MountContext.HostOf(call), path);
        mount.Log?.Invoke($"mount: {MountContext.HostOf(call)} mounted {path} (export {export.Name})");
        return status;
    }
}
