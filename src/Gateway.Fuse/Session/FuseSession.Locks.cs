using System.Collections.Concurrent;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Fuse.Session;

/// <summary>
/// fcntl and flock locks, held in the Vfs LockManager with LockProtocol.Fuse so NLM, NFSv4 and SMB
/// clients see them (and we see theirs). The owner is the kernel's lock_owner (per process for fcntl,
/// per open file description for flock); flock locks are whole-file POSIX locks of that owner.
/// </summary>
internal sealed partial class FuseSession
{
    private const long OffsetMax = long.MaxValue; // the kernel's OFFSET_MAX: "to end of file"

    /// <summary>INTERRUPTs that arrived before the SETLKW they name was registered (a race between readers).</summary>
    private readonly ConcurrentDictionary<ulong, long> _earlyInterrupts = new();

    private LockOwner Owner(ulong lockOwner) => new(LockProtocol.Fuse, _client, lockOwner);

    private static ByteRange RangeOf(in FuseFileLock lk) =>
        lk.End >= OffsetMax || lk.End == ulong.MaxValue ? ByteRange.ToEof(lk.Start) : ByteRange.FromInclusive(lk.Start, Math.Max(lk.Start, lk.End));

    private static bool TryKind(uint type, out LockKind kind)
    {
        kind = type == FuseConst.F_WRLCK ? LockKind.Exclusive : LockKind.Shared;
        return type is FuseConst.F_RDLCK or FuseConst.F_WRLCK;
    }

    private void GetLk(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseLkIn lk) || lk.Lk.Start > OffsetMax)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        if (!TryKind(lk.Lk.Type, out var kind))
        {
            Error(h.Unique, FuseErrno.EINVAL);
            return;
        }
        var range = (lk.LkFlags & FuseConst.FUSE_LK_FLOCK) != 0 ? ByteRange.WholeFile : RangeOf(lk.Lk);
        var conflict = _vfs.Locks.Test(_nodes.ToVfs(h.NodeId), Owner(lk.Owner), range, kind);
        var out_ = new FuseFileLock { Type = FuseConst.F_UNLCK, Start = lk.Lk.Start, End = lk.Lk.End };
        if (conflict is { } c)
        {
            out_ = new FuseFileLock
            {
                Type = c.Kind == LockKind.Exclusive ? FuseConst.F_WRLCK : FuseConst.F_RDLCK,
                Start = c.Range.Offset,
                End = c.Range.IsToEof || c.Range.Last >= OffsetMax ? OffsetMax : c.Range.Last,
                // Another process of this mount: its pid is unknown to us; other protocols have none.
                Pid = 0,
            };
        }
        Reply(h.Unique, reply, out_);
    }

    private void SetLk(in FuseInHeader h, ReadOnlySpan<byte> body, bool wait)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseLkIn lk) || lk.Lk.Start > OffsetMax)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _nodes.ToVfs(h.NodeId);
        var owner = Owner(lk.Owner);
        var range = (lk.LkFlags & FuseConst.FUSE_LK_FLOCK) != 0 ? ByteRange.WholeFile : RangeOf(lk.Lk);
        if (lk.Lk.Type == FuseConst.F_UNLCK)
        {
            Status(h.Unique, _vfs.Locks.Unlock(node, owner, range, LockFlavor.Posix));
            return;
        }
        if (!TryKind(lk.Lk.Type, out var kind))
        {
            Error(h.Unique, FuseErrno.EINVAL);
            return;
        }
        if (!wait)
        {
            var now = _vfs.Locks.TryLock(node, owner, range, kind, LockFlavor.Posix);
            Status(h.Unique, now.Status);
            return;
        }

        // SETLKW: wait off the reader thread; INTERRUPT (a signal to the waiting process) cancels it.
        var unique = h.Unique;
        var cts = new CancellationTokenSource();
        _waits[unique] = cts;
        if (_earlyInterrupts.TryRemove(unique, out _)) cts.Cancel();
        ValueTask<LockResult> pending;
        try
        {
            pending = _vfs.Locks.LockAsync(node, owner, range, kind, LockFlavor.Posix, cts.Token);
        }
        catch (Exception)
        {
            _waits.TryRemove(unique, out _);
            cts.Dispose();
            throw;
        }
        if (pending.IsCompletedSuccessfully)
        {
            _waits.TryRemove(unique, out _);
            cts.Dispose();
            Status(unique, pending.Result.Status);
            return;
        }
        _ = CompleteWaitAsync(t_device ?? _dev, unique, pending, cts);
    }

    private async Task CompleteWaitAsync(FuseDevice dev, ulong unique, ValueTask<LockResult> pending, CancellationTokenSource cts)
    {
        int errno;
        try
        {
            var result = await pending.ConfigureAwait(false);
            errno = FuseErrno.Map(result.Status);
        }
        catch (OperationCanceledException)
        {
            errno = FuseErrno.EINTR;
        }
        catch (Exception e)
        {
            _options.Log($"fuse: SETLKW failed: {e.Message}");
            errno = FuseErrno.EIO;
        }
        finally
        {
            _waits.TryRemove(unique, out _);
            cts.Dispose();
        }
        if (!dev.IsClosed) Error(dev, unique, errno); // on the descriptor the SETLKW was read from
    }

    /// <summary>
    /// INTERRUPT: only a blocked SETLKW can be interrupted (everything else finishes promptly), and the
    /// interrupted request itself answers EINTR. An INTERRUPT gets no reply of its own.
    /// </summary>
    private void Interrupt(ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseInterruptIn i)) return;
        if (_waits.TryGetValue(i.Unique, out var cts))
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It completed meanwhile.
            }
            return;
        }
        if (_earlyInterrupts.Count > 1024) _earlyInterrupts.Clear();
        _earlyInterrupts[i.Unique] = Environment.TickCount64;
    }
}
