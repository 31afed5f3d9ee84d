using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.18, FSSTAT3res NFSPROC3_FSSTAT(FSSTAT3args) = 18;
//
//   struct FSSTAT3args { nfs_fh3 fsroot; };
//   struct FSSTAT3resok {
//      post_op_attr obj_attributes;
//      size3 tbytes; size3 fbytes; size3 abytes;
//      size3 tfiles; size3 ffiles; size3 afiles;
//      uint32 invarsec;
//   };
//   struct FSSTAT3resfail { post_op_attr obj_attributes; };
//
// invarsec 0: the figures may change at any moment (the export is a live local directory).
internal static class FsStat
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var status = nfs.Resolve(call, args.ReadOpaque(Nfs3.FhSize), out var obj);

        VfsResult<FsStats> stats = default;
        if (status == NFS3_OK)
        {
            stats = obj.Vfs.FsStat(obj.Node);
            status = nfs.Map(stats.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, obj.IsResolved ? obj.Attributes() : null, obj.FsId);
        if (status != NFS3_OK) return ValueTask.CompletedTask;
        var s = stats.Value;
        reply.WriteUInt64(s.TotalBytes);
        reply.WriteUInt64(s.FreeBytes);
        reply.WriteUInt64(s.AvailableBytes);
        reply.WriteUInt64(s.TotalFiles);
        reply.WriteUInt64(s.FreeFiles);
        reply.WriteUInt64(s.AvailableFiles);
        reply.WriteUInt32(0);
        return ValueTask.CompletedTask;
    }
}
