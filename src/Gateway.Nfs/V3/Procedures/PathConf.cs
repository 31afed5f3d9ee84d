using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.20, PATHCONF3res NFSPROC3_PATHCONF(PATHCONF3args) = 20;
//
//   struct PATHCONF3args { nfs_fh3 object; };
//   struct PATHCONF3resok {
//      post_op_attr obj_attributes;
//      uint32 linkmax; uint32 name_max;
//      bool no_trunc; bool chown_restricted; bool case_insensitive; bool case_preserving;
//   };
//   struct PATHCONF3resfail { post_op_attr obj_attributes; };
//
// POSIX semantics of a Linux filesystem: long names are refused, not truncated; only root chowns.
internal static class PathConf
{
    private const uint LinkMax = 65000; // ext4's EXT4_LINK_MAX, the common local filesystem

    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var status = nfs.ResolveWithAttributes(call, args.ReadOpaque(Nfs3.FhSize), out var obj, out var attributes);

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, attributes.IsOk ? attributes.Value : null, obj.FsId);
        if (status != NFS3_OK) return ValueTask.CompletedTask;
        reply.WriteUInt32(LinkMax);
        reply.WriteUInt32(Nfs3.MaxNameBytes);
        reply.WriteBool(true);  // no_trunc
        reply.WriteBool(true);  // chown_restricted
        reply.WriteBool(false); // case_insensitive
        reply.WriteBool(true);  // case_preserving
        return ValueTask.CompletedTask;
    }
}
