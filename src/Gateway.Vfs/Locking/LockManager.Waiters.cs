namespace Gateway.Vfs.Locking;

public sealed partial class LockManager
{
    /// <summary>
    /// Blocking lock (NLM LOCK with block, SMB LOCK without FAIL_IMMEDIATELY, FUSE setlkw): grants
    /// now if it can, else queues FIFO on the node and completes once an unlock or release lets it
    /// through. Cancelling <paramref name="ct"/> withdraws the request, grants nothing and faults
    /// the task with <see cref="OperationCanceledException"/>; so does releasing the waiting owner
    /// or its client. A malformed request completes at once with <see cref="VfsStatus.Invalid"/>.
    /// There is no deadlock detection: a request that waits on its own owner's Windows lock waits
    /// until that lock goes.
    /// </summary>
    public ValueTask<LockResult> LockAsync(NodeId node, LockOwner owner, ByteRange range, LockKind kind, LockFlavor flavor, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
            return ValueTask.FromCanceled<LockResult>(ct);
        if (!IsValidRequest(range, kind, flavor))
            return new(LockResult.Failed(VfsStatus.Invalid));
        var state = EnterLive(node);
        try
        {
            var now = TryGrantLocked(state, owner, range, kind, flavor);
            if (now.Granted)
                return new(now);
            var waiter = new LockWaiter(this, state, owner, range, kind, flavor);
            waiter.QueueEntry = state.Waiters.AddLast(waiter);
            // A token cancelled right now runs the callback inline; the gate is re-entrant, so it
            // dequeues the waiter we just added and the returned task is already cancelled.
            if (ct.CanBeCanceled)
                waiter.Cancellation = ct.Register(static (w, token) => ((LockWaiter)w!).Manager.CancelWaiter((LockWaiter)w, token), waiter);
            return new(waiter.Completion.Task);
        }
        finally
        {
            Exit(state);
        }
    }

    /// <summary>
    /// Gives every queued waiter, oldest first, the chance the last change made. All grantable
    /// waiters are granted, not just a prefix: a waiter on bytes nobody holds must not sit behind
    /// one still blocked elsewhere. Each grant is persisted on its own; a store failure fails only
    /// that waiter.
    /// </summary>
    private void GrantWaitersLocked(NodeLockState state)
    {
        var entry = state.Waiters.First;
        while (entry is not null)
        {
            var next = entry.Next;
            var waiter = entry.Value;
            try
            {
                var result = TryGrantLocked(state, waiter.Owner, waiter.Range, waiter.Kind, waiter.Flavor);
                if (result.Granted)
                {
                    Dequeue(state, waiter);
                    waiter.Completion.TrySetResult(result);
                }
            }
            catch (Exception e)
            {
                Dequeue(state, waiter);
                waiter.Completion.TrySetException(e);
            }
            entry = next;
        }
    }

    private void CancelWaitersLocked(NodeLockState state, OwnerFilter filter)
    {
        var entry = state.Waiters.First;
        while (entry is not null)
        {
            var next = entry.Next;
            var waiter = entry.Value;
            if (filter.Matches(waiter.Owner))
            {
                Dequeue(state, waiter);
                waiter.Completion.TrySetCanceled();
            }
            entry = next;
        }
    }

    private void CancelWaiter(LockWaiter waiter, CancellationToken token)
    {
        var state = waiter.State;
        state.Gate.Enter();
        try
        {
            // Already granted, failed or withdrawn: the grant stands, nothing to undo.
            if (waiter.QueueEntry is null)
                return;
            state.Waiters.Remove(waiter.QueueEntry);
            waiter.QueueEntry = null;
            waiter.Completion.TrySetCanceled(token);
        }
        finally
        {
            Exit(state);
        }
    }

    private static void Dequeue(NodeLockState state, LockWaiter waiter)
    {
        state.Waiters.Remove(waiter.QueueEntry!);
        waiter.QueueEntry = null;
        // Unregister, not Dispose: Dispose waits for a running callback, which may be blocked on
        // the gate we hold. A callback that already started finds QueueEntry null and stops.
        waiter.Cancellation.Unregister();
    }
}
