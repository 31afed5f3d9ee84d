using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.12, REMOVE3res NFSPROC3_REMOVE(REMOVE3args) = 12;
//
//   struct REMOVE3args { diropargs3 object; };
//   struct REMOVE3resok   { wcc_data dir_wcc; };
//   struct REMOVE3resfail { wcc_data dir_wcc; };
//
// Not idempotent: a retransmission after a lost reply would find nothing to remove and say NOENT.
// The duplicate request cache answers it with the first reply instead (see Nfs3Program).
internal static class Remove
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        Unlink.Handle(nfs, call, arguments, results, static (dir, name) => dir.Vfs.Remove(dir.Caller, dir.Node, name));
}

// REMOVE and RMDIR: the same arguments and results around a different Vfs call.
internal static class Unlink
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results,
        Func<Nfs3Target, string, VfsResult<DirChange>> remove)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<DirChange> change = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK)
        {
            change = remove(dir, name.Value!);
            status = nfs.Map(change.Status, call);
        }

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status == NFS3_OK) WccData.Write(ref reply, change.Value, dir.FsId);
        else FailureWcc.Write(ref reply, dir);
        return ValueTask.CompletedTask;
    }
}
