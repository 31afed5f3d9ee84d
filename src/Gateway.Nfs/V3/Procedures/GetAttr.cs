using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.1, GETATTR3res NFSPROC3_GETATTR(GETATTR3args) = 1;
//
//   struct GETATTR3args { nfs_fh3 object; };
//   struct GETATTR3resok { fattr3 obj_attributes; };
//   union GETATTR3res switch (nfsstat3 status) { case NFS3_OK: GETATTR3resok resok; default: void; };
internal static class GetAttr
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var status = nfs.ResolveWithAttributes(call, args.ReadOpaque(Nfs3.FhSize), out var obj, out var attributes);

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK) Fattr3.Write(ref reply, attributes.Value, obj.FsId);
        return ValueTask.CompletedTask;
    }
}
