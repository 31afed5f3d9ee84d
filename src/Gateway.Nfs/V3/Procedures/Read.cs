using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.6, READ3res NFSPROC3_READ(READ3args) = 6;
//
//   struct READ3args { nfs_fh3 file; offset3 offset; count3 count; };
//   struct READ3resok   { post_op_attr file_attributes; count3 count; bool eof; opaque data<>; };
//   struct READ3resfail { post_op_attr file_attributes; };
//
// count is capped at rtmax (FSINFO). The data is read straight into the reply buffer behind a
// fixed-size header that is filled in afterwards, once the count, eof and attributes are known:
//
//   | status | file_attributes (TRUE + fattr3) | count | eof | data length | data ... | pad |
//   |<-------------------------- Header = 104 bytes -------------------->|
internal static class Read
{
    private const int Header = 4 + PostOpAttr.Size + 4 + 4 + 4;

    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var offset = args.ReadUInt64();
        var count = (int)Math.Min(args.ReadUInt32(), (uint)Nfs3.MaxIo);

        var status = nfs.Resolve(call, handle, out var file);
        if (status == NFS3_OK && offset > long.MaxValue) status = NFS3ERR_INVAL;
        if (status != NFS3_OK)
        {
            WriteFailure(results, status, file);
            return ValueTask.CompletedTask;
        }
        return ReadAsync(nfs, call, file, (long)offset, count, results);
    }

    private static async ValueTask ReadAsync(Nfs3Context nfs, RpcCallContext call, Nfs3Target file, long offset, int count, IBufferWriter<byte> results)
    {
        var reserved = results.GetMemory(Header + XdrReader.PaddedLength(count))[..(Header + XdrReader.PaddedLength(count))];
        var read = await file.Vfs.ReadAsync(file.Caller, file.Node, offset, reserved.Slice(Header, count), call.CancellationToken).ConfigureAwait(false);
        var status = nfs.Map(read.Status, call);
        if (status != NFS3_OK)
        {
            WriteFailure(results, status, file); // nothing was advanced: the reservation is simply overwritten
            return;
        }
        var n = read.Value.Count;
        WriteHeader(reserved[..Header], file.FsId, read.Value, n);
        var padded = XdrReader.PaddedLength(n);
        reserved.Span[(Header + n)..(Header + padded)].Clear();
        results.Advance(Header + padded);
    }

    private static void WriteHeader(Memory<byte> header, ulong fsid, in ReadResult read, int count)
    {
        var reply = new XdrWriter(new FixedBufferWriter(header));
        reply.WriteUInt32((uint)NFS3_OK);
        PostOpAttr.Write(ref reply, read.Attributes, fsid);
        reply.WriteUInt32((uint)count);
        reply.WriteBool(read.Eof);
        reply.WriteUInt32((uint)count);
    }

    private static void WriteFailure(IBufferWriter<byte> results, Nfs3Status status, in Nfs3Target file)
    {
        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        PostOpAttr.Write(ref reply, file.IsResolved ? file.Attributes() : null, file.FsId);
    }
}
