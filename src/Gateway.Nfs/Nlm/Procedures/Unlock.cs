using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: nlm4_res NLM4_UNLOCK(nlm4_unlockargs) = 4;
//
//   struct nlm4_unlockargs { netobj cookie; nlm4_lock alock; };
//
// Removes the owner's locks from the range (a sub-range splits a lock); nothing locked there is
// still NLM4_GRANTED. A blocked request of the owner on the same range is withdrawn first, as
// Linux nlmsvc_unlock does. Served during the grace period too (Linux refuses it): the gateway's
// locks survived the restart, so an unlock changes current state and can only help other clients.
internal static class Unlock
{
    public static ValueTask Handle(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Read(arguments);
        Nlm4Results.WriteRes(results, args.Cookie, Execute(nlm, call, args));
        return ValueTask.CompletedTask;
    }

    public static Nlm4UnlockArgs Read(ReadOnlyMemory<byte> arguments)
    {
        var reader = new XdrReader(arguments.Span);
        return Nlm4UnlockArgs.Read(ref reader);
    }

    public static Nlm4Stat Execute(NlmContext nlm, RpcCallContext call, Nlm4UnlockArgs args) => nlm.Run(call, () =>
    {
        var status = nlm.Resolve(call, args.Lock.Fh, out var target);
        if (status != NLM4_GRANTED) return status;
        var owner = NlmIdentity.LockOwnerOf(args.Lock);
        nlm.Blocked.CancelRange(target, owner, args.Lock.Range);
        return NlmContext.Map(target.Locks.Unlock(target.Node, owner, args.Lock.Range, LockFlavor.Posix));
    });
}
