using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.3, LOOKUP3res NFSPROC3_LOOKUP(LOOKUP3args) = 3;
//
//   struct diropargs3 { nfs_fh3 dir; filename3 name; };
//   struct LOOKUP3args { diropargs3 what; };
//   struct LOOKUP3resok   { nfs_fh3 object; post_op_attr obj_attributes; post_op_attr dir_attributes; };
//   struct LOOKUP3resfail { post_op_attr dir_attributes; };
//
// "." is the directory itself and ".." its parent; ".." of the export root is the root, so no
// name leads out of an export. A name no file can have ('/', NUL) is simply not there: NOENT.
internal static class Lookup
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<LookupResult> found = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK)
        {
            found = dir.Vfs.Lookup(dir.Caller, dir.Node, name.Value!);
            status = nfs.Map(found.Status, call, invalidName: NFS3ERR_NOENT);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK)
        {
            nfs.WriteHandle(ref reply, dir, found.Value.Node);
            PostOpAttr.Write(ref reply, found.Value.Attributes, dir.FsId);
            PostOpAttr.Write(ref reply, found.Value.DirectoryAttributes, dir.FsId);
        }
        else
        {
            PostOpAttr.Write(ref reply, dir.IsResolved ? dir.Attributes() : null, dir.FsId);
        }
        return ValueTask.CompletedTask;
    }
}
