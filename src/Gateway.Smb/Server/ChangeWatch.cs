using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Vfs;
using Gateway.Vfs.Events;

namespace Gateway.Smb.Server;

/// <summary>
/// CHANGE_NOTIFY state of one directory open: subscribed to the export's ChangeFeed (changes made
/// through any protocol and External ones seen by inotify), filtered by the completion filter,
/// buffered as FILE_NOTIFY_INFORMATION records between requests. More than the client's buffer
/// holds (or a feed overflow) turns into STATUS_NOTIFY_ENUM_DIR: "re-read the directory".
/// WATCH_TREE also reports changes below the watched directory, named by their path from it
/// ("sub\\file"), found by walking up the Vfs's (parent, name) index from the changed directory.
/// </summary>
internal sealed class ChangeWatch : IDisposable
{
    public const uint FilterFileName = 0x1, FilterDirName = 0x2, FilterAttributes = 0x4, FilterSize = 0x8,
        FilterLastWrite = 0x10, FilterLastAccess = 0x20, FilterCreation = 0x40, FilterSecurity = 0x100;
    private const uint Added = 1, Removed = 2, Modified = 3, RenamedOld = 4, RenamedNew = 5;

    private readonly object _gate = new();
    // A watched tree deeper than this is named only this far down (a walk per change, bounded).
    private const int MaxDepth = 128;

    private readonly IVfs _vfs;
    private readonly NodeId _directory;
    private readonly IDisposable _subscription;
    private readonly List<(uint Action, string Name)> _pending = [];
    private int _pendingBytes;
    private bool _overflow;
    private TaskCompletionSource<(uint Status, byte[] Data)>? _waiter;
    private int _waiterLimit;
    private uint? _final;

    public ChangeWatch(IVfs vfs, NodeId directory, uint filter, bool watchTree, int bufferLimit)
    {
        _vfs = vfs;
        _directory = directory;
        Filter = filter;
        WatchTree = watchTree;
        BufferLimit = Math.Max(bufferLimit, 0);
        _subscription = vfs.Changes.Subscribe(OnChange);
    }

    public uint Filter { get; set; }
    public bool WatchTree { get; set; }
    public int BufferLimit { get; set; }

    private void OnChange(VfsChange change)
    {
        if (change.Kind == ChangeKind.Overflow)
        {
            Add(0, null);
            return;
        }
        if (change.Kind == ChangeKind.Removed && change.Node == _directory)
        {
            // The watched directory itself went away: a waiting request ends as Windows ends it.
            Complete(NtStatus.DeletePending);
            return;
        }
        switch (change.Kind)
        {
            case ChangeKind.Created when (Filter & (FilterFileName | FilterDirName)) != 0:
                if (Named(change.Directory, change.Name) is { } created)
                    Add(Added, created);
                break;
            case ChangeKind.Removed when (Filter & (FilterFileName | FilterDirName)) != 0:
                if (Named(change.Directory, change.Name) is { } removed)
                    Add(Removed, removed);
                break;
            case ChangeKind.Renamed when (Filter & (FilterFileName | FilterDirName)) != 0:
                var from = Named(change.OldDirectory, change.OldName);
                var to = Named(change.Directory, change.Name);
                if (from is not null && to is not null)
                {
                    Add(RenamedOld, from, RenamedNew, to);
                }
                else if (from is not null)
                {
                    Add(Removed, from);
                }
                else if (to is not null)
                {
                    Add(Added, to);
                }
                break;
            case ChangeKind.DataModified when (Filter & (FilterSize | FilterLastWrite)) != 0:
                if (Named(change.Directory, change.Name) is { } written)
                    Add(Modified, written);
                break;
            case ChangeKind.AttributesModified
                when (Filter & (FilterAttributes | FilterLastWrite | FilterLastAccess | FilterCreation | FilterSecurity | FilterSize)) != 0:
                if (Named(change.Directory, change.Name) is { } modified)
                    Add(Modified, modified);
                break;
        }
    }

    /// <summary>
    /// The name to report for <paramref name="name"/> in <paramref name="directory"/>: the name itself
    /// in the watched directory; with WATCH_TREE, the path from the watched directory when the
    /// directory lies below it; else null (not ours to report).
    /// </summary>
    private string? Named(NodeId directory, string? name)
    {
        if (name is null)
            return null;
        if (directory == _directory)
            return name;
        if (!WatchTree || directory.IsNone)
            return null;
        List<string>? parts = null;
        var current = directory;
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            if (!_vfs.TryGetParent(current, out var parent, out var component))
                return null;
            (parts ??= []).Add(component);
            if (parent == _directory)
            {
                parts.Reverse();
                parts.Add(name);
                return string.Join('\\', parts);
            }
            current = parent;
        }
        return null;
    }

    private void Add(uint action, string? name, uint action2 = 0, string? name2 = null)
    {
        lock (_gate)
        {
            if (_final is not null)
                return;
            if (action == 0 || name is null)
            {
                _overflow = true;
            }
            else
            {
                Append(action, name);
                if (name2 is not null)
                    Append(action2, name2);
            }
            if (_waiter is { } w)
            {
                _waiter = null;
                w.TrySetResult(TakeLocked(_waiterLimit));
            }
        }
    }

    private void Append(uint action, string name)
    {
        var size = Align4(12 + 2 * name.Length);
        if (_pendingBytes + size > Math.Max(BufferLimit, 1) || _pending.Count > 4096)
        {
            _overflow = true;
            return;
        }
        _pending.Add((action, name));
        _pendingBytes += size;
    }

    private static int Align4(int v) => (v + 3) & ~3;

    /// <summary>Buffered changes now, or null when the caller must wait (GoAsync, then <see cref="WaitAsync"/>).</summary>
    public (uint Status, byte[] Data)? TryTake(int limit)
    {
        lock (_gate)
        {
            if (_final is { } f)
                return (f, []);
            if (_pending.Count == 0 && !_overflow)
                return null;
            return TakeLocked(limit);
        }
    }

    public Task<(uint Status, byte[] Data)> WaitAsync(int limit, CancellationToken ct)
    {
        TaskCompletionSource<(uint, byte[])> tcs;
        lock (_gate)
        {
            if (_final is { } f)
                return Task.FromResult((f, Array.Empty<byte>()));
            if (_pending.Count > 0 || _overflow)
                return Task.FromResult(TakeLocked(limit));
            _waiter?.TrySetResult((NtStatus.Cancelled, []));
            tcs = new TaskCompletionSource<(uint, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiter = tcs;
            _waiterLimit = limit;
        }
        if (ct.CanBeCanceled)
        {
            ct.Register(() =>
            {
                lock (_gate)
                {
                    if (_waiter == tcs)
                        _waiter = null;
                }
                tcs.TrySetResult((NtStatus.Cancelled, []));
            });
        }
        return tcs.Task;
    }

    private (uint, byte[]) TakeLocked(int limit)
    {
        if (_overflow || _pendingBytes > limit)
        {
            _overflow = false;
            _pending.Clear();
            _pendingBytes = 0;
            return (NtStatus.NotifyEnumDir, []);
        }
        var data = new byte[_pendingBytes];
        var at = 0;
        for (var i = 0; i < _pending.Count; i++)
        {
            var (action, name) = _pending[i];
            var size = Align4(12 + 2 * name.Length);
            Wire.U32(data, at, i == _pending.Count - 1 ? 0u : (uint)size);
            Wire.U32(data, at + 4, action);
            Wire.U32(data, at + 8, (uint)(2 * name.Length));
            WireText.Write(data.AsSpan(at + 12), name);
            at += size;
        }
        // The last entry needs no trailing alignment padding.
        var length = _pending.Count == 0 ? 0 : at - (Align4(12 + 2 * _pending[^1].Name.Length) - (12 + 2 * _pending[^1].Name.Length));
        _pending.Clear();
        _pendingBytes = 0;
        return (NtStatus.Success, data.AsSpan(0, length).ToArray());
    }

    /// <summary>The handle closed: a waiting request completes with <paramref name="status"/> (STATUS_NOTIFY_CLEANUP).</summary>
    public void Complete(uint status)
    {
        lock (_gate)
        {
            _final = status;
            if (_waiter is { } w)
            {
                _waiter = null;
                w.TrySetResult((status, []));
            }
        }
        Dispose();
    }

    public void Dispose() => _subscription.Dispose();
}
