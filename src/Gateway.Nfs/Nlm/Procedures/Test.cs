using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: nlm4_testres NLM4_TEST(nlm4_testargs) = 1;
//
//   struct nlm4_testargs { netobj cookie; bool exclusive; nlm4_lock alock; };
//   union nlm4_testrply switch (nlm4_stats stat) { case NLM4_DENIED: nlm4_holder holder; default: void; };
//   struct nlm4_testres { netobj cookie; nlm4_testrply test_stat; };
//
// Would this lock be granted now? NLM4_GRANTED, or NLM4_DENIED with the holder in the way (the
// lowest conflicting lock, of any protocol: an SMB lock is reported with svid 0 and an empty oh).
// During the grace period the answer is NLM4_DENIED_GRACE_PERIOD: the locks of the previous run
// that will not be reclaimed are still there, so an answer now could be wrong either way.
internal static class Test
{
    public static ValueTask Handle(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Read(arguments);
        var (stat, holder) = Execute(nlm, call, args);
        Nlm4Results.WriteTestRes(results, args.Cookie, stat, holder);
        return ValueTask.CompletedTask;
    }

    public static Nlm4TestArgs Read(ReadOnlyMemory<byte> arguments)
    {
        var reader = new XdrReader(arguments.Span);
        return Nlm4TestArgs.Read(ref reader);
    }

    public static (Nlm4Stat Stat, Nlm4Holder? Holder) Execute(NlmContext nlm, RpcCallContext call, Nlm4TestArgs args) =>
        nlm.Run<(Nlm4Stat, Nlm4Holder?)>(call, () =>
        {
            if (nlm.Grace.InGrace) return (NLM4_DENIED_GRACE_PERIOD, null);
            var status = nlm.Resolve(call, args.Lock.Fh, out var target);
            if (status != NLM4_GRANTED) return (status, null);
            var kind = args.Exclusive ? LockKind.Exclusive : LockKind.Shared;
            var conflict = target.Locks.Test(target.Node, NlmIdentity.LockOwnerOf(args.Lock), args.Lock.Range, kind);
            return conflict is { } c ? (NLM4_DENIED, nlm.Owners.HolderOf(c)) : (NLM4_GRANTED, null);
        }, (NLM4_DENIED_NOLOCKS, null));
}
