using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.4, ACCESS3res NFSPROC3_ACCESS(ACCESS3args) = 4;
//
//   const ACCESS3_READ = 0x0001;  ACCESS3_LOOKUP = 0x0002;  ACCESS3_MODIFY = 0x0004;
//   const ACCESS3_EXTEND = 0x0008;  ACCESS3_DELETE = 0x0010;  ACCESS3_EXECUTE = 0x0020;
//   struct ACCESS3args { nfs_fh3 object; uint32 access; };
//   struct ACCESS3resok   { post_op_attr obj_attributes; uint32 access; };
//   struct ACCESS3resfail { post_op_attr obj_attributes; };
//
// AccessMask carries the ACCESS3 bits by design; bits the RFC does not define are dropped.
internal static class Access
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var requested = (AccessMask)(args.ReadUInt32() & (uint)AccessMask.All);

        var status = nfs.Resolve(call, handle, out var obj);
        VfsResult<AccessMask> granted = default;
        if (status == NFS3_OK)
        {
            granted = obj.Vfs.Access(obj.Caller, obj.Node, requested);
            status = nfs.Map(granted.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, obj.IsResolved ? obj.Attributes() : null, obj.FsId);
        if (status == NFS3_OK) reply.WriteUInt32((uint)granted.Value);
        return ValueTask.CompletedTask;
    }
}
