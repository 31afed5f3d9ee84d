using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.5, READLINK3res NFSPROC3_READLINK(READLINK3args) = 5;
//
//   struct READLINK3args { nfs_fh3 symlink; };
//   struct READLINK3resok   { post_op_attr symlink_attributes; nfspath3 data; };
//   struct READLINK3resfail { post_op_attr symlink_attributes; };
//
// The target is returned as stored; the server never follows it. Not a symlink: INVAL.
internal static class ReadLink
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var status = nfs.Resolve(call, args.ReadOpaque(Nfs3.FhSize), out var link);

        VfsResult<string> target = default;
        if (status == NFS3_OK)
        {
            target = link.Vfs.ReadLink(link.Caller, link.Node);
            status = nfs.Map(target.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, link.IsResolved ? link.Attributes() : null, link.FsId);
        if (status == NFS3_OK) WireName.Write(ref reply, target.Value);
        return ValueTask.CompletedTask;
    }
}
