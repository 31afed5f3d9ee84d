using System.Collections.Concurrent;
using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// What all SMB opens of one file share: how many there are and whether delete is pending
/// (a per-file property in Windows: any open may set it, the last close deletes).
/// </summary>
internal sealed class NodeOpenState(IVfs vfs, NodeId node)
{
    public IVfs Vfs { get; } = vfs;
    public NodeId Node { get; } = node;
    private readonly List<ChangeWatch> _watches = [];

    public int Count;
    public bool DeletePending;

    public void AddWatch(ChangeWatch watch)
    {
        lock (_watches)
            _watches.Add(watch);
    }

    /// <summary>
    /// Sets or clears delete-pending. Setting it on a watched directory completes the pending
    /// CHANGE_NOTIFYs with STATUS_DELETE_PENDING, as Windows does (smbtorture smb2.notify.rmdir*).
    /// </summary>
    public void SetDeletePending(bool value)
    {
        DeletePending = value;
        if (!value)
            return;
        ChangeWatch[] watches;
        lock (_watches)
        {
            watches = [.. _watches];
            _watches.Clear();
        }
        foreach (var w in watches)
            w.Complete(Protocol.NtStatus.DeletePending);
    }
}

/// <summary>Server-wide table of <see cref="NodeOpenState"/>, one per (export, node) with an open.</summary>
internal sealed class NodeOpenTable
{
    private readonly ConcurrentDictionary<(int Export, ulong Node), NodeOpenState> _states = new();
    private readonly object _gate = new();

    public NodeOpenState Acquire(IVfs vfs, NodeId node)
    {
        lock (_gate)
        {
            var key = (vfs.ExportId, node.Value);
            if (!_states.TryGetValue(key, out var s))
                _states[key] = s = new NodeOpenState(vfs, node);
            s.Count++;
            return s;
        }
    }

    public NodeOpenState? Find(IVfs vfs, NodeId node) => _states.TryGetValue((vfs.ExportId, node.Value), out var s) ? s : null;

    /// <summary>Drops one open; true when it was the last one (the caller then applies a pending delete).</summary>
    public bool Release(NodeOpenState state)
    {
        lock (_gate)
        {
            if (--state.Count > 0)
                return false;
            _states.TryRemove(new KeyValuePair<(int, ulong), NodeOpenState>((state.Vfs.ExportId, state.Node.Value), state));
            return true;
        }
    }
}
