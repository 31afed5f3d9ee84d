using System.Net;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Nlm;

/// <summary>A file handle that passed every check, and the lock manager of its export.</summary>
internal readonly record struct NlmTarget(NfsExport Export, NodeId Node)
{
    public LockManager Locks => Export.Vfs.Locks;
}

/// <summary>What every NLM procedure shares: exports, handle codec, owners, grace, blocked requests, callbacks.</summary>
internal sealed class NlmContext : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public NlmContext(NfsExports exports, NfsHandleCodec codec, NlmOptions options, Action<string>? log)
    {
        Exports = exports;
        Codec = codec;
        Options = options;
        Log = log;
        Grace = new NlmGrace(exports, options, log);
        Blocked = new NlmBlocked(this);
        Callbacks = new NlmCallbacks(options.Callbacks ?? PortmapCallbackResolver.Instance, options, log, _stopping.Token);
    }

    public NfsExports Exports { get; }

    public NfsHandleCodec Codec { get; }

    public NlmOptions Options { get; }

    public Action<string>? Log { get; }

    public NlmOwners Owners { get; } = new();

    public NlmGrace Grace { get; }

    public NlmBlocked Blocked { get; }

    public NlmCallbacks Callbacks { get; }

    /// <summary>
    /// The NFSv3 handle checks (Nfs3Context.Resolve), with NLM's answers: a handle that is not ours,
    /// of an export no longer served, or of a file that is gone → NLM4_STALE_FH; a host the export
    /// does not list, or a caller without read access to the file → NLM4_FAILED. Linux nfsd answers
    /// the same (nlm_fopen: nfserr_stale → nlm_stale_fh, anything else → nlm_failed): DENIED would
    /// tell the client someone holds the lock, and it would wait or retry for nothing. Read access
    /// (or owning the file) is what Linux asks of a lock too (NFSD_MAY_LOCK → MAY_READ | OWNER_OVERRIDE).
    /// </summary>
    public Nlm4Stat Resolve(RpcCallContext call, byte[] fh, out NlmTarget target)
    {
        target = default;
        if (Codec.Decode(fh, out var exportId, out var node) != VfsStatus.Ok) return NLM4_STALE_FH;
        if (Exports.FindById(exportId) is not { } export) return NLM4_STALE_FH;
        if (!export.Admits(call.Connection.RemoteAddress))
        {
            Log?.Invoke($"nlm {Name(call)} from {call.Connection}: host not allowed on export {export.Name}");
            return NLM4_FAILED;
        }
        var attributes = export.Vfs.GetAttr(node);
        if (!attributes.IsOk)
            return attributes.Status is VfsStatus.Stale or VfsStatus.BadHandle or VfsStatus.NotFound ? NLM4_STALE_FH : NLM4_FAILED;
        var caller = export.PrincipalFor(call.Credential);
        if (caller.Uid != attributes.Value.Uid && !caller.IsSuperUser)
        {
            var access = export.Vfs.Access(caller, node, AccessMask.Read);
            if (!access.IsOk || (access.Value & AccessMask.Read) == 0)
            {
                Log?.Invoke($"nlm {Name(call)} from {call.Connection}: uid {caller.Uid} may not read node {node}");
                return NLM4_FAILED;
            }
        }
        target = new NlmTarget(export, node);
        return NLM4_GRANTED;
    }

    /// <summary>Is this caller allowed anywhere? Calls without a file handle (FREE_ALL) ask this instead.</summary>
    public bool AdmitsAnywhere(RpcCallContext call) => AdmitsAnywhere(call.Connection.RemoteAddress);

    public bool AdmitsAnywhere(IPAddress? address)
    {
        foreach (var export in Exports.All)
            if (export.Admits(address)) return true;
        return false;
    }

    /// <summary>
    /// The status monitor heard SM_NOTIFY: FREE_ALL for that name, if the host that sent it is one
    /// some export admits (the same rule as FREE_ALL itself; a stranger cannot drop anyone's locks).
    /// </summary>
    public void ClientRebooted(string callerName, IPAddress? from)
    {
        if (!AdmitsAnywhere(from))
        {
            Log?.Invoke($"nlm: reboot of {callerName} announced by {from}, a host no export admits: ignored");
            return;
        }
        try
        {
            FreeAll(callerName);
        }
        catch (Exception e)
        {
            Log?.Invoke($"nlm: releasing the locks of rebooted {callerName} failed: {e.Message}");
        }
    }

    /// <summary>Monitored requests register the client with the status monitor, as lockd's nsm_monitor does.</summary>
    public void Monitor(string callerName, RpcCallContext call) => Options.Nsm?.MonitorClient(callerName, call.Connection.RemoteAddress);

    /// <summary>Every distinct lock manager behind the exports (FREE_ALL sweeps them all).</summary>
    public IEnumerable<LockManager> LockManagers => Exports.All.Select(e => e.Vfs.Locks).Distinct();

    /// <summary>
    /// FREE_ALL, SM_NOTIFY: the client rebooted. Its blocked requests are withdrawn, and all its locks
    /// and shares are released on every export.
    /// </summary>
    public void FreeAll(string callerName)
    {
        var client = NlmIdentity.ClientOf(callerName);
        Blocked.CancelClient(client);
        foreach (var locks in LockManagers) locks.ReleaseClient(LockProtocol.Nlm, client);
        Owners.Forget(client);
        Options.Nsm?.UnmonitorClient(callerName);
        Log?.Invoke($"nlm: released every lock and share of {callerName}");
    }

    /// <summary>
    /// Runs a procedure's work. A failure of the lock store (the only thing that can throw here) is
    /// NLM4_DENIED_NOLOCKS, "no resources", with a log line, rather than an RPC SYSTEM_ERR.
    /// </summary>
    public Nlm4Stat Run(RpcCallContext call, Func<Nlm4Stat> work) => Run(call, work, NLM4_DENIED_NOLOCKS);

    public T Run<T>(RpcCallContext call, Func<T> work, T failed)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is not XdrException and not OperationCanceledException)
        {
            Log?.Invoke($"nlm {Name(call)} from {call.Connection} failed: {e.Message}");
            return failed;
        }
    }

    public static Nlm4Stat Map(LockResult result) => result.Status switch
    {
        VfsStatus.Ok => NLM4_GRANTED,
        VfsStatus.LockConflict => NLM4_DENIED,
        _ => NLM4_FAILED,
    };

    public static Nlm4Stat Map(VfsStatus status) => status switch
    {
        VfsStatus.Ok => NLM4_GRANTED,
        VfsStatus.LockConflict or VfsStatus.ShareConflict => NLM4_DENIED,
        _ => NLM4_FAILED,
    };

    public static IPAddress? ClientAddress(RpcCallContext call) => call.Connection.RemoteAddress;

    public void Dispose()
    {
        _stopping.Cancel();
        Blocked.CancelAll();
        Grace.Dispose();
    }

    private static string Name(RpcCallContext call) => ((Nlm4Procedure)call.Procedure).ToString();
}
