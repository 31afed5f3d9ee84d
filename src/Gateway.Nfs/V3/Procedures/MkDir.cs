using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.9, MKDIR3res NFSPROC3_MKDIR(MKDIR3args) = 9;
//
//   struct MKDIR3args { diropargs3 where; sattr3 attributes; };
//   (results: Diropres3)
internal static class MkDir
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);
        var attributes = Sattr3.Read(ref args);

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<CreateResult> created = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK)
        {
            created = dir.Vfs.Mkdir(dir.Caller, dir.Node, name.Value!, attributes.IsEmpty ? null : attributes);
            status = nfs.Map(created.Status, call);
        }

        var reply = new XdrWriter(results);
        Diropres3.Write(ref reply, nfs, status, dir, created.IsOk ? created.Value : default);
        return ValueTask.CompletedTask;
    }
}
