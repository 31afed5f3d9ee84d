using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: void NLM4_FREE_ALL(nlm4_notify) = 23;
//
//   struct nlm4_notify { string name<MAXNAMELEN>; int32 state; };
//
// The client named `name` rebooted (its statd says so, or it says so itself): every lock and share
// it held is released and its blocked requests are withdrawn, on every export. Only a host some
// export admits may ask; from anyone else the call is ignored (and logged), since it would let any
// host on the network drop anyone's locks.
internal static class FreeAllProcedure
{
    public static ValueTask Handle(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        var notify = Nlm4Notify.Read(ref reader);
        if (!nlm.AdmitsAnywhere(call))
        {
            nlm.Log?.Invoke($"nlm FREE_ALL for {notify.Name} from {call.Connection}: host not allowed, ignored");
            return ValueTask.CompletedTask;
        }
        nlm.Run(call, () =>
        {
            nlm.FreeAll(notify.Name);
            return Nlm4Stat.NLM4_GRANTED;
        });
        return ValueTask.CompletedTask;
    }
}
