using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm.Procedures;

// sm_inter.x: struct sm_stat_res SM_STAT(struct sm_name) = 1;
//
//   struct sm_name { string mon_name<SM_MAXSTRLEN>; };
//   struct sm_stat_res { sm_res res_stat; int state; };
//
// The gateway's own state number (as rpc.statd answers: it does not track other hosts' numbers),
// stat_succ for any name the monitor could watch; an empty name cannot be watched: stat_fail.
internal static class Stat
{
    public static ValueTask Handle(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var monName = reader.ReadString(Nsm1.MaxStringLength);
        NsmXdr.WriteStatRes(results, monName.Length == 0 ? SmResult.stat_fail : SmResult.stat_succ, nsm.State);
        return ValueTask.CompletedTask;
    }
}
