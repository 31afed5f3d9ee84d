using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount.Procedures;

// RFC 1813 §5.2.2, mountlist MOUNTPROC3_DUMP(void) = 2;  (the same in v1)
//
//   typedef struct mountbody *mountlist;
//   struct mountbody { name ml_hostname; dirpath ml_directory; mountlist ml_next; };
//
// An XDR optional list: TRUE + item for each entry, then FALSE.
internal static class Dump
{
    public static ValueTask Handle(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reply = new XdrWriter(results);
        foreach (var entry in mount.Mounts.Snapshot())
        {
            reply.WriteBool(true);
            reply.WriteString(entry.Host);
            reply.WriteString(entry.Path);
        }
        reply.WriteBool(false);
        return ValueTask.CompletedTask;
    }
}
