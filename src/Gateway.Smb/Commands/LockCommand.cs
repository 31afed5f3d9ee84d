using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.26 LOCK Request (StructureSize 48): 0 StructureSize 2 LockCount 4 LockSequence 8 FileId 24 Locks
//   SMB2_LOCK_ELEMENT (24 bytes): 0 Offset 8 Length 16 Flags 20 Reserved
//   Flags: SHARED 0x1, EXCLUSIVE 0x2, UNLOCK 0x4, FAIL_IMMEDIATELY 0x10
// 2.2.27 Response: StructureSize 4.
// Locks go through the Vfs LockManager with the Windows flavor, so NLM and FUSE locks conflict
// with them. A single lock without FAIL_IMMEDIATELY may wait: the client gets STATUS_PENDING with
// an AsyncId and the final answer when the range frees up or CANCEL arrives (STATUS_CANCELLED).
// Several elements are all-or-nothing (3.3.5.14.2): a failure unlocks what this request granted.
internal static class LockCommand
{
    private const uint Shared = 0x1, Exclusive = 0x2, Unlock = 0x4, FailImmediately = 0x10;
    private const uint InvalidLockRange = 0xC00001A1;

    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 24 || Wire.U16(body, 0) != 48)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var count = Wire.U16(body, 2);
        if (count == 0 || body.Length < 24 + 24 * count)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(body.Slice(8, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Vfs is not { } vfs || open.IsDirectory)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var elements = new (ByteRange Range, uint Flags)[count];
        for (var i = 0; i < count; i++)
        {
            var e = body.Slice(24 + 24 * i, 24);
            elements[i] = (new ByteRange(Wire.U64(e, 0), Wire.U64(e, 8)), Wire.U32(e, 16));
        }
        // The first element decides between unlocking and locking (3.3.5.14). A lock request is
        // validated whole before anything happens; an unlock request is carried out element by
        // element, so an invalid element after the first only fails when it is reached (what
        // Windows and Samba do: smbtorture smb2.lock.valid-request).
        var unlocking = elements[0].Flags == Unlock;
        foreach (var (_, flags) in unlocking ? [] : elements)
        {
            var valid = (flags & ~FailImmediately) is Shared or Exclusive && (count == 1 || (flags & FailImmediately) != 0);
            if (!valid)
                return SmbResponse.Error(NtStatus.InvalidParameter);
        }
        var locks = vfs.Locks;
        if (unlocking)
        {
            foreach (var (range, flags) in elements)
            {
                if (flags != Unlock)
                    return SmbResponse.Error(NtStatus.InvalidParameter);
                var s = locks.Unlock(open.Node, open.Owner, range, LockFlavor.Windows);
                if (s == VfsStatus.NotFound)
                    return SmbResponse.Error(NtStatus.RangeNotLocked);
                if (s != VfsStatus.Ok)
                    return SmbResponse.Error(s == VfsStatus.Invalid ? InvalidLockRange : StatusMap.ToNtStatus(s));
            }
            return SmbResponse.Empty();
        }

        for (var i = 0; i < count; i++)
        {
            var (range, flags) = elements[i];
            var kind = (flags & Exclusive) != 0 ? LockKind.Exclusive : LockKind.Shared;
            var result = locks.TryLock(open.Node, open.Owner, range, kind, LockFlavor.Windows);
            if (result.Granted)
                continue;
            if (result.Status == VfsStatus.LockConflict && count == 1 && (flags & FailImmediately) == 0)
                return await WaitAsync(request, open, range, kind).ConfigureAwait(false);
            for (var k = 0; k < i; k++)
                locks.Unlock(open.Node, open.Owner, elements[k].Range, LockFlavor.Windows);
            return SmbResponse.Error(result.Status switch
            {
                VfsStatus.LockConflict => NtStatus.LockNotGranted,
                VfsStatus.Invalid => InvalidLockRange,
                var other => StatusMap.ToNtStatus(other),
            });
        }
        return SmbResponse.Empty();
    }

    private static async ValueTask<SmbResponse> WaitAsync(SmbRequest request, SmbOpen open, ByteRange range, LockKind kind)
    {
        await request.GoAsyncAsync().ConfigureAwait(false);
        try
        {
            var pending = open.Vfs!.Locks.LockAsync(open.Node, open.Owner, range, kind, LockFlavor.Windows, request.CancellationToken);
            // The client saw STATUS_PENDING before the waiter existed and may have closed the handle in
            // between: closing marks the open closed first, then releases its owner (which withdraws
            // waiters). A waiter registered after that release is withdrawn here instead.
            if (open.IsClosed && !pending.IsCompleted)
                open.Vfs.Locks.ReleaseOwner(open.Owner);
            var result = await pending.ConfigureAwait(false);
            if (result.Granted)
            {
                // Granted, then the open went too (a logoff closing the holder's open first and
                // then this one): the answer is still success, as Samba gives it (smb2.lock.cancel-logoff);
                // the lock itself must not outlive the open.
                if (open.IsClosed)
                    open.Vfs.Locks.Unlock(open.Node, open.Owner, range, LockFlavor.Windows);
                return SmbResponse.Empty();
            }
            return SmbResponse.Error(result.Status == VfsStatus.Invalid ? InvalidLockRange : NtStatus.LockNotGranted);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the client, or the open/session/connection went away (its owner released):
            // a pending lock whose handle closed ends as STATUS_RANGE_NOT_LOCKED (Windows, Samba;
            // smbtorture smb2.lock.cancel "cancel by close").
            return SmbResponse.Error(open.IsClosed ? NtStatus.RangeNotLocked : NtStatus.Cancelled);
        }
    }
}
