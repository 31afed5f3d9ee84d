using Gateway.Vfs;
using Gateway.Vfs.Locking;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// The grace period after a start. Unlike Linux lockd, the gateway does not lose its locks when it
/// restarts: the LockManager wrote them to the Store before granting them. So a reclaim by the owner
/// that held a lock is granted by the lock being there already, and the grace period only has to keep
/// new locks off until the old holders have spoken up.
/// <para>
/// What happens to locks nobody reclaims? The choice made here: every NLM lock (and share) of the
/// previous run that was not reclaimed, byte for byte, by the same owner is released when the grace
/// period ends — not only the locks of clients that reclaimed nothing. A client told by SM_NOTIFY
/// reclaims every lock it believes it holds, so anything it leaves out is not held by anyone: the
/// process exited while the gateway was down, or the client itself rebooted (and its own SM_NOTIFY
/// may have been lost). Keeping such locks would block other clients forever; releasing them is what
/// every NLM server does implicitly, since they forget all locks when they restart. The one client
/// that loses is one that holds locks but could not be told (SM_NOTIFY undeliverable) — exactly as
/// with any other NLM server. Locks of SMB, NFSv4 and FUSE owners are not NLM's business and are
/// never touched here.
/// </para>
/// The grace period is skipped when the Store holds no NLM lock or share from the previous run:
/// locks are persisted before they are granted, so then there is nothing anyone could reclaim.
/// </summary>
internal sealed class NlmGrace : IDisposable
{
    private readonly object _gate = new();
    private readonly Action<string>? _log;
    private readonly List<(NfsExport Export, LockRecord Lock)> _locksBefore = [];
    private readonly List<(NfsExport Export, ShareRecord Share)> _sharesBefore = [];
    private readonly Dictionary<(int Export, NodeId Node, LockOwner Owner), List<ByteRange>> _reclaimed = [];
    private readonly HashSet<(int Export, NodeId Node, ulong OpenId)> _reclaimedShares = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer? _timer;
    private volatile bool _inGrace;
    private bool _disposed;

    public NlmGrace(NfsExports exports, NlmOptions options, Action<string>? log)
    {
        _log = log;
        if (options.Store is { } store) Snapshot(exports, store);
        var anything = options.Store is null || _locksBefore.Count > 0 || _sharesBefore.Count > 0;
        if (options.GracePeriod <= TimeSpan.Zero || !anything)
        {
            _ended.SetResult();
            return;
        }
        _inGrace = true;
        _timer = new Timer(static g => ((NlmGrace)g!).End(), this, options.GracePeriod, Timeout.InfiniteTimeSpan);
        _log?.Invoke($"nlm: grace period of {options.GracePeriod.TotalSeconds:0.#} s: {_locksBefore.Count} locks and {_sharesBefore.Count} shares of the previous run may be reclaimed");
    }

    public bool InGrace => _inGrace;

    public Task Ended => _ended.Task;

    /// <summary>A LOCK with reclaim set. Outside the grace period it is granted only if the owner still holds it.</summary>
    public Nlm4Stat ReclaimLock(NlmTarget target, LockOwner owner, ByteRange range, LockKind kind)
    {
        lock (_gate)
        {
            if (!_inGrace) return StillHeld(target, owner, range, kind) ? Nlm4Stat.NLM4_GRANTED : Nlm4Stat.NLM4_DENIED_GRACE_PERIOD;
            var result = target.Locks.TryLock(target.Node, owner, range, kind, LockFlavor.Posix);
            if (result.Granted)
            {
                var key = (target.Export.Id, target.Node, owner);
                if (!_reclaimed.TryGetValue(key, out var ranges)) _reclaimed[key] = ranges = [];
                ranges.Add(range);
            }
            return NlmContext.Map(result);
        }
    }

    /// <summary>A SHARE with reclaim set; <paramref name="open"/> takes or updates it, <paramref name="held"/> says if it is there already.</summary>
    public Nlm4Stat ReclaimShare(NlmTarget target, ulong openId, Func<Nlm4Stat> open, Func<bool> held)
    {
        lock (_gate)
        {
            if (!_inGrace) return held() ? Nlm4Stat.NLM4_GRANTED : Nlm4Stat.NLM4_DENIED_GRACE_PERIOD;
            var status = open();
            if (status == Nlm4Stat.NLM4_GRANTED) _reclaimedShares.Add((target.Export.Id, target.Node, openId));
            return status;
        }
    }

    /// <summary>Ends the grace period now (the timer's job; tests call it to avoid waiting).</summary>
    public void End()
    {
        lock (_gate)
        {
            if (!_inGrace || _disposed) return;
            try
            {
                ReleaseUnreclaimed();
            }
            catch (Exception e)
            {
                _log?.Invoke($"nlm: releasing unreclaimed locks failed: {e.Message}");
            }
            finally
            {
                _inGrace = false;
            }
        }
        _ended.TrySetResult();
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _timer?.Dispose();
        _ended.TrySetCanceled();
    }

    private void Snapshot(NfsExports exports, GatewayStore store)
    {
        foreach (var export in exports.All)
        {
            var persisted = new SqliteLockStore(store, export.Vfs.ExportId);
            foreach (var held in persisted.LoadLocks())
                if (held.Owner.Protocol == LockProtocol.Nlm && held.Flavor == LockFlavor.Posix) _locksBefore.Add((export, held));
            foreach (var share in persisted.LoadShares())
                if (share.Owner.Protocol == LockProtocol.Nlm) _sharesBefore.Add((export, share));
        }
    }

    private void ReleaseUnreclaimed()
    {
        var released = 0;
        var clients = new HashSet<ClientKey>();
        foreach (var (export, held) in _locksBefore)
        {
            _reclaimed.TryGetValue((export.Id, held.Node, held.Owner), out var reclaimed);
            foreach (var piece in Subtract(held.Range, reclaimed))
            {
                export.Vfs.Locks.Unlock(held.Node, held.Owner, piece, LockFlavor.Posix);
                released++;
                clients.Add(held.Owner.Client);
            }
        }
        foreach (var (export, share) in _sharesBefore)
        {
            if (_reclaimedShares.Contains((export.Id, share.Node, share.OpenId))) continue;
            export.Vfs.Locks.CloseShare(share.Node, share.OpenId);
            released++;
            clients.Add(share.Owner.Client);
        }
        _log?.Invoke($"nlm: grace period over; released {released} unreclaimed locks and shares of {clients.Count} clients");
    }

    private static bool StillHeld(NlmTarget target, LockOwner owner, ByteRange range, LockKind kind)
    {
        foreach (var held in target.Locks.GetLocks(target.Node))
            if (held.Owner == owner && held.Flavor == LockFlavor.Posix && held.Kind == kind && held.Range.Contains(range)) return true;
        return false;
    }

    /// <summary>The parts of <paramref name="range"/> not covered by <paramref name="covered"/> (inclusive arithmetic, no wrap).</summary>
    internal static List<ByteRange> Subtract(ByteRange range, IReadOnlyList<ByteRange>? covered)
    {
        var pieces = new List<ByteRange>();
        ulong cursor = range.Offset, last = range.Last;
        foreach (var c in (covered ?? []).OrderBy(c => c.Offset))
        {
            if (c.Last < cursor) continue;
            if (c.Offset > last) break;
            if (c.Offset > cursor) pieces.Add(ByteRange.FromInclusive(cursor, c.Offset - 1));
            if (c.Last >= last) return pieces;
            cursor = c.Last + 1;
        }
        pieces.Add(ByteRange.FromInclusive(cursor, last));
        return pieces;
    }
}
