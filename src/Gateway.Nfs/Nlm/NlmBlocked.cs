using System.Collections.Concurrent;
using System.Net;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// Blocking LOCKs: each is a LockManager waiter (LockAsync) plus what it takes to tell the client
/// when it is granted. A request is known by (file, owner, range, kind), as Linux lockd's
/// nlm_compare_locks knows it: a retransmitted LOCK finds its waiter, CANCEL and UNLOCK withdraw it.
/// When the waiter is granted, GRANTED (or GRANTED_MSG) goes to the client; if the client cannot be
/// reached, refuses, or cancelled meanwhile, the lock is released again so nobody waits on a ghost.
/// </summary>
internal sealed class NlmBlocked
{
    private const int Waiting = 0;
    private const int Granting = 1;
    private const int Withdrawn = 2;

    private readonly NlmContext _nlm;
    private readonly ConcurrentDictionary<Key, Request> _requests = new();
    private readonly ConcurrentDictionary<(string Client, string Cookie), Granted> _awaitingResult = new();

    public NlmBlocked(NlmContext nlm) => _nlm = nlm;

    public int Count => _requests.Count;

    public Nlm4Stat Block(NlmTarget target, LockOwner owner, ByteRange range, LockKind kind, Nlm4LockArgs args, IPAddress? client, bool viaMessage)
    {
        var key = new Key(target.Export.Id, target.Node, owner, range, kind);
        var request = new Request(target, new Nlm4TestArgs(args.Cookie, args.Exclusive, args.Lock), client, viaMessage);
        if (!_requests.TryAdd(key, request)) return Nlm4Stat.NLM4_BLOCKED; // the client asking again
        ValueTask<LockResult> pending;
        try
        {
            pending = target.Locks.LockAsync(target.Node, owner, range, kind, LockFlavor.Posix, request.Cancel.Token);
        }
        catch
        {
            _requests.TryRemove(new(key, request));
            throw;
        }
        if (pending.IsCompleted)
        {
            _requests.TryRemove(new(key, request));
            return NlmContext.Map(pending.Result);
        }
        _ = WaitAsync(key, request, pending.AsTask());
        return Nlm4Stat.NLM4_BLOCKED;
    }

    /// <summary>CANCEL: withdraws the matching request; a grant whose GRANTED is still in flight is undone.</summary>
    public void Cancel(NlmTarget target, LockOwner owner, ByteRange range, LockKind kind)
    {
        if (_requests.TryGetValue(new Key(target.Export.Id, target.Node, owner, range, kind), out var request)) Withdraw(request);
    }

    /// <summary>UNLOCK of a range also withdraws a request pending on it, whatever its kind (Linux nlmsvc_unlock).</summary>
    public void CancelRange(NlmTarget target, LockOwner owner, ByteRange range)
    {
        Cancel(target, owner, range, LockKind.Shared);
        Cancel(target, owner, range, LockKind.Exclusive);
    }

    public void CancelClient(ClientKey client)
    {
        foreach (var (key, request) in _requests)
            if (key.Owner.Client == client) Withdraw(request);
    }

    public void CancelAll()
    {
        foreach (var request in _requests.Values) Withdraw(request);
    }

    /// <summary>GRANTED_RES: the client's answer to our GRANTED_MSG. Anything but GRANTED gives the lock back.</summary>
    public void GrantedResult(IPAddress? client, byte[] cookie, Nlm4Stat stat)
    {
        if (!_awaitingResult.TryRemove((client?.ToString() ?? "", Convert.ToHexString(cookie)), out var granted)) return;
        if (stat == Nlm4Stat.NLM4_GRANTED) return;
        _nlm.Log?.Invoke($"nlm GRANTED_RES from {client}: {stat}, releasing {granted.Range} of {granted.Target.Node}");
        Release(granted.Target, granted.Owner, granted.Range);
    }

    private static void Withdraw(Request request)
    {
        if (Interlocked.Exchange(ref request.State, Withdrawn) == Waiting) request.Cancel.Cancel();
    }

    private async Task WaitAsync(Key key, Request request, Task<LockResult> pending)
    {
        try
        {
            LockResult result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // withdrawn: by CANCEL, UNLOCK, FREE_ALL or shutdown
            }
            if (!result.Granted) return;
            _nlm.Owners.Remember(request.Args.Lock);
            if (Interlocked.CompareExchange(ref request.State, Granting, Waiting) != Waiting)
            {
                Release(request.Target, key.Owner, key.Range); // cancelled just as it was granted
                return;
            }
            var outcome = await _nlm.Callbacks.SendGrantedAsync(request.Client, request.Args, request.ViaMessage).ConfigureAwait(false);
            if (outcome == GrantOutcome.Stopped) return; // the lock stays in the Store; the client reclaims it
            if (outcome == GrantOutcome.Delivered && Volatile.Read(ref request.State) == Granting)
            {
                if (request.ViaMessage) AwaitResult(request, key);
                return;
            }
            var why = outcome switch
            {
                GrantOutcome.Delivered => "the request was cancelled meanwhile",
                GrantOutcome.Refused => "the client refused it",
                _ => "GRANTED was undeliverable",
            };
            _nlm.Log?.Invoke($"nlm: blocked lock {key.Range} on node {key.Node} of {request.Client} was granted, but {why}: released");
            Release(request.Target, key.Owner, key.Range);
        }
        catch (Exception e)
        {
            _nlm.Log?.Invoke($"nlm: blocked lock {key.Range} on {key.Node}: {e}");
        }
        finally
        {
            // The CancellationTokenSource is not disposed: a late CANCEL may still cancel it (a no-op
            // then), and without a timer it holds nothing that needs disposing.
            _requests.TryRemove(new(key, request));
        }
    }

    private void AwaitResult(Request request, Key key)
    {
        // Answers that never come must not pile up: anything older than ten minutes is dropped.
        var stale = DateTime.UtcNow.AddMinutes(-10);
        foreach (var (k, g) in _awaitingResult)
            if (g.At < stale) _awaitingResult.TryRemove(k, out _);
        _awaitingResult[(request.Client?.ToString() ?? "", Convert.ToHexString(request.Args.Cookie))] =
            new Granted(request.Target, key.Owner, key.Range, DateTime.UtcNow);
    }

    private void Release(NlmTarget target, LockOwner owner, ByteRange range)
    {
        try
        {
            target.Locks.Unlock(target.Node, owner, range, LockFlavor.Posix);
        }
        catch (Exception e)
        {
            _nlm.Log?.Invoke($"nlm: could not release {range} of {target.Node}: {e.Message}");
        }
    }

    private readonly record struct Key(int ExportId, NodeId Node, LockOwner Owner, ByteRange Range, LockKind Kind);

    private sealed record Granted(NlmTarget Target, LockOwner Owner, ByteRange Range, DateTime At);

    private sealed class Request(NlmTarget target, Nlm4TestArgs args, IPAddress? client, bool viaMessage)
    {
        public NlmTarget Target { get; } = target;

        public Nlm4TestArgs Args { get; } = args;

        public IPAddress? Client { get; } = client;

        public bool ViaMessage { get; } = viaMessage;

        public CancellationTokenSource Cancel { get; } = new();

        public int State;
    }
}
