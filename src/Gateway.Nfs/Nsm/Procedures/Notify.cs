using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm.Procedures;

// sm_inter.x:
//   void SM_SIMU_CRASH(void) = 5;
//   void SM_NOTIFY(struct stat_chge) = 6;
//
//   struct stat_chge { string mon_name<SM_MAXSTRLEN>; int state; };
//
// SM_NOTIFY: the host mon_name rebooted (its sm-notify says so). The NLM service releases every
// lock and share of the client of that name (as Linux lockd does on statd's callback; the match is
// by name, not by the sender's address), and every SM_MON requester watching that name is called
// back with sm_status. SM_SIMU_CRASH (local callers only): the gateway acts as if it had restarted
// — a new state number, persisted, and SM_NOTIFY to every monitored host — without losing its locks.
internal static class Notify
{
    public static ValueTask HandleNotify(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var change = StatChange.Read(ref reader);
        nsm.Log?.Invoke($"nsm: SM_NOTIFY from {call.Connection}: {change.MonName} is now at state {change.State}");
        if (change.MonName.Length == 0) return ValueTask.CompletedTask;
        nsm.RaiseClientRebooted(change.MonName, call.Connection.RemoteAddress);
        nsm.Notifier.StatusChanged(change.MonName, change.State);
        return ValueTask.CompletedTask;
    }

    public static ValueTask HandleSimuCrash(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        if (!nsm.IsLocal(call, "SM_SIMU_CRASH")) return ValueTask.CompletedTask;
        var state = nsm.Crash();
        nsm.Log?.Invoke($"nsm: SM_SIMU_CRASH from {call.Connection}: state {state}, notifying monitored hosts");
        nsm.Notifier.Track(nsm.Notifier.NotifyRebootAsync(CancellationToken.None));
        return ValueTask.CompletedTask;
    }
}
