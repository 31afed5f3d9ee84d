using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.8, CREATE3res NFSPROC3_CREATE(CREATE3args) = 8;
//
//   enum createmode3 { UNCHECKED = 0, GUARDED = 1, EXCLUSIVE = 2 };
//   union createhow3 switch (createmode3 mode) {
//   case UNCHECKED:
//   case GUARDED:   sattr3 obj_attributes;
//   case EXCLUSIVE: createverf3 verf;
//   };
//   struct CREATE3args { diropargs3 where; createhow3 how; };
//   (results: Diropres3)
//
// EXCLUSIVE is exactly-once: the Vfs remembers the verifier with the new file, so a retry with
// the same verifier (a lost reply) succeeds and another verifier gets EXIST. The client then
// sets the attributes it wanted with SETATTR.
internal static class Create
{
    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);
        var mode = args.ReadUInt32();
        var how = mode switch
        {
            0 => CreateHow.Unchecked(NullIfNone(Sattr3.Read(ref args))),
            1 => CreateHow.Guarded(NullIfNone(Sattr3.Read(ref args))),
            2 => CreateHow.Exclusive(args.ReadUInt64()),
            _ => throw new XdrException($"createmode3 {mode} is not UNCHECKED, GUARDED or EXCLUSIVE"),
        };

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<CreateResult> created = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK)
        {
            created = dir.Vfs.Create(dir.Caller, dir.Node, name.Value!, how);
            status = nfs.Map(created.Status, call);
        }

        var reply = new XdrWriter(results);
        Diropres3.Write(ref reply, nfs, status, dir, created.IsOk ? created.Value : default);
        return ValueTask.CompletedTask;
    }

    private static SetAttributes? NullIfNone(SetAttributes attributes) => attributes.IsEmpty ? null : attributes;
}
