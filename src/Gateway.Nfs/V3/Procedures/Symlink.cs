using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.10, SYMLINK3res NFSPROC3_SYMLINK(SYMLINK3args) = 10;
//
//   struct symlinkdata3 { sattr3 symlink_attributes; nfspath3 symlink_data; };
//   struct SYMLINK3args { diropargs3 where; symlinkdata3 symlink; };
//   (results: Diropres3)
//
// The target is stored as given, even when it points outside the export: the server never
// follows a symlink, only the client does, on its own side.
internal static class Symlink
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);
        var attributes = Sattr3.Read(ref args);
        var target = WireName.Read(ref args, maxBytes: Nfs3.MaxPathBytes);

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<CreateResult> created = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK) status = target.Error;
        if (status == NFS3_OK)
        {
            created = dir.Vfs.Symlink(dir.Caller, dir.Node, name.Value!, target.Value!, attributes.IsEmpty ? null : attributes);
            status = nfs.Map(created.Status, call);
        }

        var reply = new XdrWriter(results);
        Diropres3.Write(ref reply, nfs, status, dir, created.IsOk ? created.Value : default);
        return ValueTask.CompletedTask;
    }
}
