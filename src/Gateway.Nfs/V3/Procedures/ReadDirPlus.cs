using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.17, READDIRPLUS3res NFSPROC3_READDIRPLUS(READDIRPLUS3args) = 17;
//
//   struct READDIRPLUS3args { nfs_fh3 dir; cookie3 cookie; cookieverf3 cookieverf; count3 dircount; count3 maxcount; };
//   struct entryplus3 { fileid3 fileid; filename3 name; cookie3 cookie;
//                       post_op_attr name_attributes; post_op_fh3 name_handle; entryplus3 *nextentry; };
//   struct dirlistplus3 { entryplus3 *entries; bool eof; };
//   struct READDIRPLUS3resok   { post_op_attr dir_attributes; cookieverf3 cookieverf; dirlistplus3 reply; };
//   struct READDIRPLUS3resfail { post_op_attr dir_attributes; };
//
// maxcount bounds the whole resok, dircount the fileid/name/cookie part; paging is DirectoryListing's.
internal static class ReadDirPlus
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var cookie = args.ReadUInt64();
        args.ReadUInt64(); // cookieverf: never grounds for refusal, see DirectoryListing
        var dircount = args.ReadUInt32();
        var maxcount = args.ReadUInt32();

        var status = nfs.Resolve(call, handle, out var dir);
        DirectoryListing? listing = null;
        if (status == NFS3_OK) status = DirectoryListing.Read(nfs, call, dir, cookie, plus: true, maxcount, dircount, out listing);

        var reply = new XdrWriter(results);
        reply.WriteUInt32((uint)status);
        if (status != NFS3_OK)
        {
            PostOpAttr.Write(ref reply, dir.IsResolved ? dir.Attributes() : null, dir.FsId);
            return ValueTask.CompletedTask;
        }

        PostOpAttr.Write(ref reply, listing!.DirectoryAttributes, dir.FsId);
        reply.WriteUInt64(listing.Verifier);
        foreach (var entry in listing.Entries)
        {
            reply.WriteBool(true);
            reply.WriteUInt64(entry.Node.Value);
            WireName.Write(ref reply, entry.Name);
            reply.WriteUInt64(entry.Cookie);
            PostOpAttr.Write(ref reply, entry.Attributes, dir.FsId);
            PostOpFh3.Write(ref reply, nfs.Codec, dir.Export.Id, entry.Node);
        }
        reply.WriteBool(false);
        reply.WriteBool(listing.Eof);
        return ValueTask.CompletedTask;
    }
}
