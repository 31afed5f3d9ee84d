using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3.Xdr;

// CREATE3res, MKDIR3res, SYMLINK3res and MKNOD3res share one shape (RFC 1813 §3.3.8-11):
//
//   struct CREATE3resok   { post_op_fh3 obj; post_op_attr obj_attributes; wcc_data dir_wcc; };
//   struct CREATE3resfail { wcc_data dir_wcc; };
internal static class Diropres3
{
    public static void Write(ref XdrWriter writer, Nfs3Context nfs, Nfs3Status status, in Nfs3Target dir, in CreateResult created)
    {
        writer.WriteUInt32((uint)status);
        if (status != Nfs3Status.NFS3_OK)
        {
            FailureWcc.Write(ref writer, dir);
            return;
        }
        writer.WriteBool(true);
        nfs.WriteHandle(ref writer, dir, created.Node);
        PostOpAttr.Write(ref writer, created.Attributes, dir.FsId);
        WccData.Write(ref writer, created.Directory, dir.FsId);
    }
}
