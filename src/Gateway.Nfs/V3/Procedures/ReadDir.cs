using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.16, READDIR3res NFSPROC3_READDIR(READDIR3args) = 16;
//
//   struct READDIR3args { nfs_fh3 dir; cookie3 cookie; cookieverf3 cookieverf; count3 count; };
//   struct entry3 { fileid3 fileid; filename3 name; cookie3 cookie; entry3 *nextentry; };
//   struct dirlist3 { entry3 *entries; bool eof; };
//   struct READDIR3resok   { post_op_attr dir_attributes; cookieverf3 cookieverf; dirlist3 reply; };
//   struct READDIR3resfail { post_op_attr dir_attributes; };
//
// count bounds the whole READDIR3resok; paging and cookies are DirectoryListing's.
internal static class ReadDir
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var cookie = args.ReadUInt64();
        args.ReadUInt64(); // cookieverf: never grounds for refusal, see DirectoryListing
        var count = args.ReadUInt32();

        var status = nfs.Resolve(call, handle, out var dir);
        DirectoryListing? listing = null;
        if (status == NFS3_OK) status = DirectoryListing.Read(nfs, call, dir, cookie, plus: false, count, 0, out listing);

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
        }
        reply.WriteBool(false);
        reply.WriteBool(listing.Eof);
        return ValueTask.CompletedTask;
    }
}
