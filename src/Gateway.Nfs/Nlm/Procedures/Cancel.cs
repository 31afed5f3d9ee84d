using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: nlm4_res NLM4_CANCEL(nlm4_cancargs) = 3;
//
//   struct nlm4_cancargs { netobj cookie; bool block; bool exclusive; nlm4_lock alock; };
//
// Withdraws the blocked LOCK with the same owner, range and kind. XNFS lets the server answer
// GRANTED or DENIED when there is none; the gateway answers NLM4_GRANTED either way (the request
// is not pending any more, which is what the client asked for). A request granted whose GRANTED
// callback has not been acknowledged yet is undone. Served during the grace period (see UNLOCK).
internal static class Cancel
{
    public static ValueTask Handle(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Read(arguments);
        Nlm4Results.WriteRes(results, args.Cookie, Execute(nlm, call, args));
        return ValueTask.CompletedTask;
    }

    public static Nlm4CancArgs Read(ReadOnlyMemory<byte> arguments)
    {
        var reader = new XdrReader(arguments.Span);
        return Nlm4CancArgs.Read(ref reader);
    }

    public static Nlm4Stat Execute(NlmContext nlm, RpcCallContext call, Nlm4CancArgs args) => nlm.Run(call, () =>
    {
        var status = nlm.Resolve(call, args.Lock.Fh, out var target);
        if (status != NLM4_GRANTED) return status;
        var kind = args.Exclusive ? LockKind.Exclusive : LockKind.Shared;
        nlm.Blocked.Cancel(target, NlmIdentity.LockOwnerOf(args.Lock), args.Lock.Range, kind);
        return NLM4_GRANTED;
    });
}
