using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.21, COMMIT3res NFSPROC3_COMMIT(COMMIT3args) = 21;
//
//   struct COMMIT3args { nfs_fh3 file; offset3 offset; count3 count; };
//   struct COMMIT3resok   { wcc_data file_wcc; writeverf3 verf; };
//   struct COMMIT3resfail { wcc_data file_wcc; };
//
// The whole file is made durable whatever the range (allowed: "the server may commit more").
// verf equals the one UNSTABLE WRITEs returned as long as the gateway has not restarted; a
// different one tells the client to write its unstable data again.
internal static class Commit
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        args.ReadUInt64(); // offset
        args.ReadUInt32(); // count

        var status = nfs.Resolve(call, handle, out var file);
        if (status != NFS3_OK)
        {
            WriteReply(results, status, file, null, 0);
            return ValueTask.CompletedTask;
        }
        return CommitAsync(nfs, call, file, results);
    }

    private static async ValueTask CommitAsync(Nfs3Context nfs, RpcCallContext call, Nfs3Target file, IBufferWriter<byte> results)
    {
        var before = file.Attributes();
        var committed = await file.Vfs.CommitAsync(file.Node, call.CancellationToken).ConfigureAwait(false);
        var status = nfs.Map(committed.Status, call);
        WriteReply(results, status, file, before is { } b ? WccAttributes.From(b) : null, committed.IsOk ? committed.Value : 0);
    }

    private static void WriteReply(IBufferWriter<byte> results, Nfs3Status status, in Nfs3Target file, WccAttributes? before, ulong verifier)
    {
        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status != NFS3_OK)
        {
            FailureWcc.Write(ref reply, file);
            return;
        }
        WccData.Write(ref reply, before, file.Attributes(), file.FsId);
        reply.WriteUInt64(verifier);
    }
}
