using System.Buffers;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm.Procedures;

// XNFS NLM v4: nlm4_shareres NLM4_SHARE(nlm4_shareargs) = 20;
//              nlm4_shareres NLM4_UNSHARE(nlm4_shareargs) = 21;
//
//   struct nlm4_shareargs { netobj cookie; nlm4_share share; bool reclaim; };
//   struct nlm4_shareres  { netobj cookie; nlm4_stats stat; int32 sequence; };
//
// DOS share modes (PC-NFS): a reservation in the LockManager, so it meets SMB share modes and NFSv4
// OPEN share_deny. fsh4_access maps to ShareAccess Read/Write, fsh4_mode to the denied bits. One
// reservation per (caller_name, oh) and file: a second SHARE replaces it (as Linux
// nlmsvc_share_file updates it), keeping the old one if the new one conflicts. A conflict is
// NLM4_DENIED. UNSHARE of nothing is NLM4_GRANTED. SHARE follows LOCK's grace rules; UNSHARE is
// served during the grace period like UNLOCK.
internal static class Share
{
    public static ValueTask HandleShare(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Read(arguments);
        Nlm4Results.WriteShareRes(results, args.Cookie, nlm.Run(call, () => DoShare(nlm, call, args)));
        return ValueTask.CompletedTask;
    }

    public static ValueTask HandleUnshare(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = Read(arguments);
        Nlm4Results.WriteShareRes(results, args.Cookie, nlm.Run(call, () => DoUnshare(nlm, call, args)));
        return ValueTask.CompletedTask;
    }

    private static Nlm4ShareArgs Read(ReadOnlyMemory<byte> arguments)
    {
        var reader = new XdrReader(arguments.Span);
        return Nlm4ShareArgs.Read(ref reader);
    }

    private static Nlm4Stat DoShare(NlmContext nlm, RpcCallContext call, Nlm4ShareArgs args)
    {
        if (!args.Reclaim && nlm.Grace.InGrace) return NLM4_DENIED_GRACE_PERIOD;
        var status = nlm.Resolve(call, args.Share.Fh, out var target);
        if (status != NLM4_GRANTED) return status;
        nlm.Monitor(args.Share.CallerName, call);
        var openId = NlmIdentity.ShareIdOf(args.Share);
        var owner = NlmIdentity.ShareOwnerOf(args.Share);
        var share = args.Share;
        if (!args.Reclaim) return OpenOrReplace(target, openId, owner, share.Access, share.Deny);
        return nlm.Grace.ReclaimShare(target, openId,
            () => OpenOrReplace(target, openId, owner, share.Access, share.Deny),
            () => Find(target, openId) is { } held && held.Access == share.Access && held.Deny == share.Deny);
    }

    private static Nlm4Stat DoUnshare(NlmContext nlm, RpcCallContext call, Nlm4ShareArgs args)
    {
        var status = nlm.Resolve(call, args.Share.Fh, out var target);
        if (status != NLM4_GRANTED) return status;
        target.Locks.CloseShare(target.Node, NlmIdentity.ShareIdOf(args.Share));
        return NLM4_GRANTED;
    }

    private static Nlm4Stat OpenOrReplace(NlmTarget target, ulong openId, LockOwner owner, ShareAccess access, ShareAccess deny)
    {
        var old = Find(target, openId);
        if (old is not null)
        {
            if (old.Access == access && old.Deny == deny) return NLM4_GRANTED;
            target.Locks.CloseShare(target.Node, openId);
        }
        var status = target.Locks.OpenShare(target.Node, openId, owner, access, deny);
        if (status != VfsStatus.Ok && old is not null)
            target.Locks.OpenShare(target.Node, openId, old.Owner, old.Access, old.Deny);
        return NlmContext.Map(status);
    }

    private static ShareRecord? Find(NlmTarget target, ulong openId)
    {
        foreach (var share in target.Locks.GetShares(target.Node))
            if (share.OpenId == openId) return share;
        return null;
    }
}
