using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.7, WRITE3res NFSPROC3_WRITE(WRITE3args) = 7;
//
//   enum stable_how { UNSTABLE = 0, DATA_SYNC = 1, FILE_SYNC = 2 };
//   struct WRITE3args { nfs_fh3 file; offset3 offset; count3 count; stable_how stable; opaque data<>; };
//   struct WRITE3resok   { wcc_data file_wcc; count3 count; stable_how committed; writeverf3 verf; };
//   struct WRITE3resfail { wcc_data file_wcc; };
//
// At most wtmax bytes are written; the reply's count says how many, and the client sends the
// rest. verf is the Vfs's boot verifier: when it changes, the client resends its UNSTABLE writes.
// The data is not copied: the Vfs writes from the call record itself.
internal static class Write
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var status = Decode(nfs, call, arguments, out var file, out var offset, out var data, out var stable);
        if (status != NFS3_OK)
        {
            WriteReply(results, status, file, default);
            return ValueTask.CompletedTask;
        }
        return WriteAsync(nfs, call, file, offset, data, stable, results);
    }

    private static Nfs3Status Decode(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments,
        out Nfs3Target file, out long offset, out ReadOnlyMemory<byte> data, out WriteStability stable)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var wireOffset = args.ReadUInt64();
        var count = args.ReadUInt32();
        var how = args.ReadUInt32();
        stable = how switch
        {
            0 => WriteStability.Unstable,
            1 => WriteStability.DataSync,
            2 => WriteStability.FileSync,
            _ => throw new XdrException($"stable_how {how} is not UNSTABLE, DATA_SYNC or FILE_SYNC"),
        };
        var length = args.ReadUInt32();
        if (length > args.Remaining) throw new XdrException($"WRITE data of {length} bytes, {args.Remaining} left");
        var start = args.Position;
        args.Skip((int)length);
        data = arguments.Slice(start, (int)Math.Min(Math.Min(length, count), (uint)Nfs3.MaxIo));
        offset = (long)Math.Min(wireOffset, long.MaxValue);

        var status = nfs.Resolve(call, handle, out file);
        if (status != NFS3_OK) return status;
        // The data must hold the count the client announced (Linux nfsd checks the same).
        if (count > length || wireOffset > long.MaxValue) return NFS3ERR_INVAL;
        return NFS3_OK;
    }

    private static async ValueTask WriteAsync(Nfs3Context nfs, RpcCallContext call, Nfs3Target file, long offset,
        ReadOnlyMemory<byte> data, WriteStability stable, IBufferWriter<byte> results)
    {
        var written = await file.Vfs.WriteAsync(file.Caller, file.Node, offset, data, stable, call.CancellationToken).ConfigureAwait(false);
        WriteReply(results, nfs.Map(written.Status, call), file, written.IsOk ? written.Value : default);
    }

    private static void WriteReply(IBufferWriter<byte> results, Nfs3Status status, in Nfs3Target file, in WriteResult written)
    {
        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status != NFS3_OK)
        {
            FailureWcc.Write(ref reply, file);
            return;
        }
        WccData.Write(ref reply, written.Before, written.After, file.FsId);
        reply.WriteUInt32((uint)written.Count);
        reply.WriteUInt32(written.Committed switch
        {
            WriteStability.Unstable => 0u,
            WriteStability.DataSync => 1u,
            WriteStability.FileSync => 2u,
            _ => throw new InvalidOperationException($"unknown stability {written.Committed}"),
        });
        reply.WriteUInt64(written.Verifier);
    }
}
