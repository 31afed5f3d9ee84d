namespace Gateway.Vfs.Locking;

/// <summary>
/// One blocked lock request (NLM blocking LOCK, SMB LOCK without FAIL_IMMEDIATELY, FUSE setlkw),
/// queued FIFO on its node until it can be granted or is cancelled. Adapters see only the task.
/// </summary>
internal sealed class LockWaiter(LockManager manager, NodeLockState state, LockOwner owner, ByteRange range, LockKind kind, LockFlavor flavor)
{
    public LockManager Manager { get; } = manager;

    public NodeLockState State { get; } = state;

    public LockOwner Owner { get; } = owner;

    public ByteRange Range { get; } = range;

    public LockKind Kind { get; } = kind;

    public LockFlavor Flavor { get; } = flavor;

    // Asynchronous continuations: completion happens under the node's gate, and an awaiting
    // adapter must not run its reply path (or re-enter the manager) while we hold it.
    public TaskCompletionSource<LockResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LinkedListNode<LockWaiter>? QueueEntry { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }
}
