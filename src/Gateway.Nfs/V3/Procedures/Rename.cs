using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.14, RENAME3res NFSPROC3_RENAME(RENAME3args) = 14;
//
//   struct RENAME3args { diropargs3 from; diropargs3 to; };
//   struct RENAME3resok   { wcc_data fromdir_wcc; wcc_data todir_wcc; };
//   struct RENAME3resfail { wcc_data fromdir_wcc; wcc_data todir_wcc; };
//
// An existing target is replaced atomically (rename(2)); directories in two exports are XDEV.
internal static class Rename
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var fromHandle = args.ReadOpaque(Nfs3.FhSize);
        var fromName = WireName.Read(ref args);
        var toHandle = args.ReadOpaque(Nfs3.FhSize);
        var toName = WireName.Read(ref args);

        var status = nfs.Resolve(call, fromHandle, out var from);
        var toStatus = nfs.Resolve(call, toHandle, out var to);
        VfsResult<RenameResult> renamed = default;
        if (status == NFS3_OK) status = toStatus;
        if (status == NFS3_OK) status = Nfs3Context.SameExport(from, to);
        if (status == NFS3_OK) status = fromName.Error;
        if (status == NFS3_OK) status = toName.Error;
        if (status == NFS3_OK)
        {
            renamed = from.Vfs.Rename(from.Caller, from.Node, fromName.Value!, to.Node, toName.Value!);
            status = nfs.Map(renamed.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK)
        {
            WccData.Write(ref reply, renamed.Value.From, from.FsId);
            WccData.Write(ref reply, renamed.Value.To, to.FsId);
        }
        else
        {
            FailureWcc.Write(ref reply, from);
            FailureWcc.Write(ref reply, to);
        }
        return ValueTask.CompletedTask;
    }
}
