using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount.Procedures;

// RFC 1813 §5.2.5, exports MOUNTPROC3_EXPORT(void) = 5;  (the same in v1, which showmount -e uses)
//
//   typedef struct groupnode *groups;
//   struct groupnode { name gr_name; groups gr_next; };
//   typedef struct exportnode *exports;
//   struct exportnode { dirpath ex_dir; groups ex_groups; exports ex_next; };
//
// Groups are the export's host list as written ("127.0.0.1", "10.0.0.0/8", "*"). An export nobody
// may mount is not listed: an empty group list means "everyone" to showmount, the opposite of ours.
internal static class Export
{
    public static ValueTask Handle(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reply = new XdrWriter(results);
        foreach (var export in mount.Exports.All)
        {
            if (export.Policy.AllowedHosts.Count == 0) continue;
            reply.WriteBool(true);
            reply.WriteString(export.MountPath);
            foreach (var host in export.Policy.AllowedHosts)
            {
                reply.WriteBool(true);
                reply.WriteString(host.Text);
            }
            reply.WriteBool(false);
        }
        reply.WriteBool(false);
        return ValueTask.CompletedTask;
    }
}
