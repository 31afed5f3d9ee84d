using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.19, FSINFO3res NFSPROC3_FSINFO(FSINFO3args) = 19;
//
//   struct FSINFO3args { nfs_fh3 fsroot; };
//   struct FSINFO3resok {
//      post_op_attr obj_attributes;
//      uint32 rtmax; uint32 rtpref; uint32 rtmult;
//      uint32 wtmax; uint32 wtpref; uint32 wtmult;
//      uint32 dtpref;
//      size3 maxfilesize; nfstime3 time_delta; uint32 properties;
//   };
//   struct FSINFO3resfail { post_op_attr obj_attributes; };
//
// Static figures: 1 MiB reads and writes (the RPC record limit is sized for a 1 MiB WRITE),
// nanosecond times, hard links and symlinks, settable times, the same on every file.
internal static class FsInfo
{
    private const uint Multiple = 4096;

    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var status = nfs.ResolveWithAttributes(call, args.ReadOpaque(Nfs3.FhSize), out var obj, out var attributes);

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, attributes.IsOk ? attributes.Value : null, obj.FsId);
        if (status != NFS3_OK) return ValueTask.CompletedTask;
        reply.WriteUInt32(Nfs3.MaxIo);        // rtmax
        reply.WriteUInt32(Nfs3.MaxIo);        // rtpref
        reply.WriteUInt32(Multiple);          // rtmult
        reply.WriteUInt32(Nfs3.MaxIo);        // wtmax
        reply.WriteUInt32(Nfs3.MaxIo);        // wtpref
        reply.WriteUInt32(Multiple);          // wtmult
        reply.WriteUInt32(Nfs3.PreferredDirectoryRead); // dtpref
        reply.WriteUInt64(long.MaxValue);     // maxfilesize
        reply.WriteUInt32(0);                 // time_delta.seconds
        reply.WriteUInt32(1);                 // time_delta.nseconds
        reply.WriteUInt32(Nfs3.FSF3_LINK | Nfs3.FSF3_SYMLINK | Nfs3.FSF3_HOMOGENEOUS | Nfs3.FSF3_CANSETTIME);
        return ValueTask.CompletedTask;
    }
}
