using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.15, LINK3res NFSPROC3_LINK(LINK3args) = 15;
//
//   struct LINK3args { nfs_fh3 file; diropargs3 link; };
//   struct LINK3resok   { post_op_attr file_attributes; wcc_data linkdir_wcc; };
//   struct LINK3resfail { post_op_attr file_attributes; wcc_data linkdir_wcc; };
internal static class Link
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var fileHandle = args.ReadOpaque(Nfs3.FhSize);
        var dirHandle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);

        var status = nfs.Resolve(call, fileHandle, out var file);
        var dirStatus = nfs.Resolve(call, dirHandle, out var dir);
        VfsResult<LinkResult> linked = default;
        if (status == NFS3_OK) status = dirStatus;
        if (status == NFS3_OK) status = Nfs3Context.SameExport(file, dir);
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK)
        {
            linked = dir.Vfs.Link(dir.Caller, file.Node, dir.Node, name.Value!);
            status = nfs.Map(linked.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK)
        {
            PostOpAttr.Write(ref reply, linked.Value.Attributes, file.FsId);
            WccData.Write(ref reply, linked.Value.Directory, dir.FsId);
        }
        else
        {
            PostOpAttr.Write(ref reply, file.IsResolved ? file.Attributes() : null, file.FsId);
            FailureWcc.Write(ref reply, dir);
        }
        return ValueTask.CompletedTask;
    }
}
