using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: nlm4_res NLM4_LOCK(nlm4_lockargs) = 2;  nlm4_res NLM4_NM_LOCK(nlm4_lockargs) = 22;
//
//   struct nlm4_lockargs { netobj cookie; bool block; bool exclusive; nlm4_lock alock;
//                          bool reclaim; int32 state; };
//   struct nlm4_res { netobj cookie; nlm4_stat stat; };
//
// A POSIX lock for the owner (caller_name, oh, svid): it replaces, merges with and splits the
// owner's own locks and conflicts with every other owner's, whatever their protocol.
// - NLM4_GRANTED, or NLM4_DENIED when another owner holds a conflicting lock and block is false;
// - block true: NLM4_BLOCKED and a waiter; GRANTED is called back when the lock is granted;
// - during the grace period only reclaim is served (NLM4_DENIED_GRACE_PERIOD otherwise); a
//   reclaim is answered at once, never queued;
// - NM_LOCK is the same request from a client that does not run a status monitor: the client is
//   not registered for SM_NOTIFY.
internal static class LockProcedure
{
    public static ValueTask Handle(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        Reply(nlm, call, arguments, results, monitored: true);

    public static ValueTask HandleUnmonitored(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        Reply(nlm, call, arguments, results, monitored: false);

    public static Nlm4LockArgs Read(ReadOnlyMemory<byte> arguments)
    {
        var reader = new XdrReader(arguments.Span);
        return Nlm4LockArgs.Read(ref reader);
    }

    public static Nlm4Stat Execute(NlmContext nlm, RpcCallContext call, Nlm4LockArgs args, bool monitored, bool viaMessage) => nlm.Run(call, () =>
    {
        if (!args.Reclaim && nlm.Grace.InGrace) return NLM4_DENIED_GRACE_PERIOD;
        var status = nlm.Resolve(call, args.Lock.Fh, out var target);
        if (status != NLM4_GRANTED) return status;
        if (monitored) nlm.Monitor(args.Lock.CallerName, call);
        var owner = NlmIdentity.LockOwnerOf(args.Lock);
        var kind = args.Exclusive ? LockKind.Exclusive : LockKind.Shared;
        var range = args.Lock.Range;
        // Known before the lock can be seen, so a conflict with it is always reported with its svid.
        nlm.Owners.Remember(args.Lock);
        if (args.Reclaim) return nlm.Grace.ReclaimLock(target, owner, range, kind);
        if (!args.Block) return NlmContext.Map(target.Locks.TryLock(target.Node, owner, range, kind, LockFlavor.Posix));
        return nlm.Blocked.Block(target, owner, range, kind, args, NlmContext.ClientAddress(call), viaMessage);
    });

    private static ValueTask Reply(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results, bool monitored)
    {
        var args = Read(arguments);
        Nlm4Results.WriteRes(results, args.Cookie, Execute(nlm, call, args, monitored, viaMessage: false));
        return ValueTask.CompletedTask;
    }
}
