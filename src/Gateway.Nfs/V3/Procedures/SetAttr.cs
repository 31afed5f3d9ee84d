using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.2, SETATTR3res NFSPROC3_SETATTR(SETATTR3args) = 2;
//
//   struct SETATTR3args { nfs_fh3 object; sattr3 new_attributes; sattrguard3 guard; };
//   struct SETATTR3resok   { wcc_data obj_wcc; };
//   struct SETATTR3resfail { wcc_data obj_wcc; };
//
// The guard is checked by the Vfs against the ctime it is about to change: a mismatch is
// NFS3ERR_NOT_SYNC and nothing is changed (the client's view of the object was out of date).
internal static class SetAttr
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var attributes = Sattr3.Read(ref args);
        var guard = Sattr3.ReadGuard(ref args);
        if (guard is not null) attributes = attributes with { GuardChangeTime = guard };

        var status = nfs.Resolve(call, handle, out var obj);
        VfsResult<SetAttrResult> set = default;
        if (status == NFS3_OK)
        {
            set = obj.Vfs.SetAttr(obj.Caller, obj.Node, attributes);
            status = nfs.Map(set.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK) WccData.Write(ref reply, set.Value.Before, set.Value.After, obj.FsId);
        else FailureWcc.Write(ref reply, obj);
        return ValueTask.CompletedTask;
    }
}
