using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4, the message-passing forms:
//
//   void NLM4_TEST_MSG(nlm4_testargs) = 6;      → void NLM4_TEST_RES(nlm4_testres) = 11;
//   void NLM4_LOCK_MSG(nlm4_lockargs) = 7;      → void NLM4_LOCK_RES(nlm4_res) = 12;
//   void NLM4_CANCEL_MSG(nlm4_cancargs) = 8;    → void NLM4_CANCEL_RES(nlm4_res) = 13;
//   void NLM4_UNLOCK_MSG(nlm4_unlockargs) = 9;  → void NLM4_UNLOCK_RES(nlm4_res) = 14;
//   void NLM4_GRANTED_RES(nlm4_res) = 15;       (the client's answer to our GRANTED_MSG)
//
// Each _MSG does what its synchronous twin does, answers the call itself with an empty reply, and
// sends the result as a separate _RES call to the caller's NLM service (found through the
// callback resolver). A LOCK_MSG that blocks is later granted with GRANTED_MSG, not GRANTED.
internal static class Messages
{
    public static ValueTask TestMsg(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Test.Read(arguments);
        var (stat, holder) = Test.Execute(nlm, call, args);
        nlm.Callbacks.SendResult(NlmContext.ClientAddress(call), Nlm4Procedure.TEST_RES, Nlm4Results.TestRes(args.Cookie, stat, holder));
        return ValueTask.CompletedTask;
    }

    public static ValueTask LockMsg(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = LockProcedure.Read(arguments);
        var stat = LockProcedure.Execute(nlm, call, args, monitored: true, viaMessage: true);
        nlm.Callbacks.SendResult(NlmContext.ClientAddress(call), Nlm4Procedure.LOCK_RES, Nlm4Results.Res(args.Cookie, stat));
        return ValueTask.CompletedTask;
    }

    public static ValueTask CancelMsg(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Cancel.Read(arguments);
        var stat = Cancel.Execute(nlm, call, args);
        nlm.Callbacks.SendResult(NlmContext.ClientAddress(call), Nlm4Procedure.CANCEL_RES, Nlm4Results.Res(args.Cookie, stat));
        return ValueTask.CompletedTask;
    }

    public static ValueTask UnlockMsg(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Unlock.Read(arguments);
        var stat = Unlock.Execute(nlm, call, args);
        nlm.Callbacks.SendResult(NlmContext.ClientAddress(call), Nlm4Procedure.UNLOCK_RES, Nlm4Results.Res(args.Cookie, stat));
        return ValueTask.CompletedTask;
    }

    // Accepted from anyone: it can only give back a lock we granted to that same address and cookie.
    public static ValueTask GrantedRes(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var (cookie, stat) = Nlm4Results.ReadRes(arguments.Span);
        nlm.Blocked.GrantedResult(NlmContext.ClientAddress(call), cookie, stat);
        return ValueTask.CompletedTask;
    }
}
