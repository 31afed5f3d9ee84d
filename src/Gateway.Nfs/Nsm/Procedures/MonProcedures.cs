using System.Buffers;
using System.Net;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm.Procedures;

// sm_inter.x:
//   struct sm_stat_res SM_MON(struct mon) = 2;
//   struct sm_stat     SM_UNMON(struct mon_id) = 3;
//   struct sm_stat     SM_UNMON_ALL(struct my_id) = 4;
//
//   struct mon { struct mon_id mon_id; opaque priv[16]; };
//   struct mon_id { string mon_name<SM_MAXSTRLEN>; struct my_id my_id; };
//   struct my_id { string my_name<SM_MAXSTRLEN>; int my_prog; int my_vers; int my_proc; };
//
// MON remembers mon_name with the requester's callback and priv in the Store (so the host is told
// when the gateway restarts, and the requester when the host reboots). UNMON forgets that one
// registration, UNMON_ALL every registration of that requester. All three answer with the
// gateway's state number, and are served to local callers only (as rpc.statd does): a remote host
// gets stat_fail from MON and nothing done by UNMON/UNMON_ALL. The NLM service's own monitoring of
// its clients is internal and is never removed by these calls.
internal static class MonProcedures
{
    public static ValueTask HandleMon(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var mon = Gateway.Nfs.Nsm.Mon.Read(ref reader);
        var result = SmResult.stat_fail;
        if (nsm.IsLocal(call, "SM_MON") && mon.MonId.MonName.Length > 0)
        {
            var id = mon.MonId.MyId;
            var address = IPAddress.TryParse(mon.MonId.MonName, out _) ? mon.MonId.MonName : null;
            nsm.Registry.Add(new NsmRegistration(mon.MonId.MonName, address, false, id.Name, id.Prog, id.Vers, id.Proc, mon.Priv));
            result = SmResult.stat_succ;
        }
        NsmXdr.WriteStatRes(results, result, nsm.State);
        return ValueTask.CompletedTask;
    }

    public static ValueTask HandleUnmon(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var monId = MonId.Read(ref reader);
        if (nsm.IsLocal(call, "SM_UNMON"))
        {
            var id = monId.MyId;
            var key = NsmRegistration.KeyOf(monId.MonName, false, id.Name, id.Prog, id.Vers, id.Proc);
            nsm.Registry.RemoveWhere(r => r.Key == key);
        }
        NsmXdr.WriteStat(results, nsm.State);
        return ValueTask.CompletedTask;
    }

    public static ValueTask HandleUnmonAll(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var id = MyId.Read(ref reader);
        if (nsm.IsLocal(call, "SM_UNMON_ALL"))
        {
            nsm.Registry.RemoveWhere(r => !r.Internal && r.MyName == id.Name && r.MyProg == id.Prog && r.MyVers == id.Vers
                && r.MyProc == id.Proc);
        }
        NsmXdr.WriteStat(results, nsm.State);
        return ValueTask.CompletedTask;
    }
}
