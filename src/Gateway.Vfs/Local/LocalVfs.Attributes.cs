using Gateway.Vfs.Events;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    public VfsResult<VfsAttributes> GetAttr(NodeId node)
    {
        var s = Node(node, out var rec);
        return s != VfsStatus.Ok ? s : StatResult(rec);
    }

    public unsafe VfsResult<SetAttrResult> SetAttr(Principal caller, NodeId node, SetAttributes a)
    {
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var before);
        if (s != VfsStatus.Ok) return s;
        if (a.GuardChangeTime is { } guard && guard != before.ChangeTime) return VfsStatus.NotSync;
        if (a.IsEmpty) return new SetAttrResult(WccAttributes.From(before), before);
        if (ReadOnly) return VfsStatus.ReadOnly;
        s = CheckSetAttrPermission(caller, before, a);
        if (s != VfsStatus.Ok) return s;
        s = ApplyAttributes(rec, a, before);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var after);
        if (s != VfsStatus.Ok) return s;
        Changes.Publish(new VfsChange(a.Size is not null ? ChangeKind.DataModified : ChangeKind.AttributesModified,
            rec.Parent, rec.Name, rec.Id, External: false));
        return new SetAttrResult(WccAttributes.From(before), after);
    }

    private static VfsStatus CheckSetAttrPermission(Principal caller, in VfsAttributes cur, SetAttributes a)
    {
        if (caller.IsSuperUser) return VfsStatus.Ok;
        var owner = caller.Uid == cur.Uid;
        if (a.Mode is not null && !owner) return VfsStatus.NotPermitted;
        if (a.Uid is { } uid && uid != cur.Uid) return VfsStatus.NotPermitted;
        if (a.Gid is { } gid && gid != cur.Gid && !(owner && caller.InGroup(gid))) return VfsStatus.NotPermitted;
        if (a.Size is not null && !Permissions.Allowed(cur, caller, Permissions.W)) return VfsStatus.AccessDenied;
        if (a.AccessTime.Kind == TimeUpdateKind.ClientTime || a.ModifyTime.Kind == TimeUpdateKind.ClientTime)
            if (!owner) return VfsStatus.NotPermitted;
        if (a.AccessTime.Kind == TimeUpdateKind.ServerNow || a.ModifyTime.Kind == TimeUpdateKind.ServerNow)
            if (!owner && !Permissions.Allowed(cur, caller, Permissions.W)) return VfsStatus.AccessDenied;
        return VfsStatus.Ok;
    }

    /// <summary>Applies ownership, mode, size and times, in the order chown(2) semantics need (chown clears setuid, so mode comes after).</summary>
    private unsafe VfsStatus ApplyAttributes(NodeRecord rec, SetAttributes a, in VfsAttributes cur)
    {
        var s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using (lease)
        {
            Span<byte> procPath = stackalloc byte[32];
            var proc = Names.ProcFdPath(lease.Fd, procPath);
            byte empty = 0;

            if (a.Uid is not null || a.Gid is not null)
            {
                var uid = a.Uid ?? uint.MaxValue; // (uid_t)-1: leave alone
                var gid = a.Gid ?? uint.MaxValue;
                if (LibC.Fchownat(lease.Fd, &empty, uid, gid, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW) != 0)
                    return Errno.ToStatus(LibC.LastError);
            }
            if (a.Mode is { } mode)
            {
                if (rec.Type == FileType.Symlink) return VfsStatus.NotSupported; // Linux has no symlink modes
                fixed (byte* p = proc)
                    if (LibC.Fchmodat(LibC.AT_FDCWD, p, mode & 0xFFF, 0) != 0)
                        return Errno.ToStatus(LibC.LastError);
            }
            if (a.Size is { } size)
            {
                if (rec.Type == FileType.Directory) return VfsStatus.IsDirectory;
                if (rec.Type != FileType.Regular) return VfsStatus.Invalid;
                if (size > long.MaxValue) return VfsStatus.FileTooBig;
                s = IoHandle(rec, write: true, out var io);
                if (s != VfsStatus.Ok) return s;
                using (io)
                    if (LibC.Ftruncate((int)io.Handle.DangerousGetHandle(), (long)size) != 0) return Errno.ToStatus(LibC.LastError);
            }
            if (a.AccessTime.Kind != TimeUpdateKind.DontChange || a.ModifyTime.Kind != TimeUpdateKind.DontChange)
            {
                var times = stackalloc Timespec[2];
                times[0] = ToTimespec(a.AccessTime);
                times[1] = ToTimespec(a.ModifyTime);
                int rc;
                if (rec.Type == FileType.Symlink)
                    rc = LibC.Utimensat(lease.Fd, &empty, times, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW);
                else
                    fixed (byte* p = proc) rc = LibC.Utimensat(LibC.AT_FDCWD, p, times, 0);
                if (rc != 0) return Errno.ToStatus(LibC.LastError);
            }
        }
        return VfsStatus.Ok;
    }

    private static Timespec ToTimespec(TimeUpdate t) => t.Kind switch
    {
        TimeUpdateKind.ServerNow => new Timespec { Nanoseconds = LibC.UTIME_NOW },
        TimeUpdateKind.ClientTime => new Timespec
        {
            Seconds = Math.DivRem(t.UnixNanoseconds, 1_000_000_000L, out var ns) - (ns < 0 ? 1 : 0),
            Nanoseconds = ns < 0 ? ns + 1_000_000_000L : ns,
        },
        _ => new Timespec { Nanoseconds = LibC.UTIME_OMIT },
    };

    public VfsResult<AccessMask> Access(Principal caller, NodeId node, AccessMask requested)
    {
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var a);
        if (s != VfsStatus.Ok) return s;
        var granted = AccessMask.None;
        var dir = a.Type == FileType.Directory;
        if (Permissions.Allowed(a, caller, Permissions.R)) granted |= AccessMask.Read;
        if (Permissions.Allowed(a, caller, Permissions.X)) granted |= dir ? AccessMask.Lookup : AccessMask.Execute;
        if (!ReadOnly && Permissions.Allowed(a, caller, Permissions.W))
            granted |= AccessMask.Modify | AccessMask.Extend | (dir ? AccessMask.Delete : AccessMask.None);
        return granted & requested;
    }

    public unsafe VfsResult<string> ReadLink(Principal caller, NodeId node)
    {
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        if (rec.Type != FileType.Symlink) return VfsStatus.Invalid;
        s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using (lease)
        {
            var buffer = stackalloc byte[4096];
            byte empty = 0;
            var n = LibC.Readlinkat(lease.Fd, &empty, buffer, 4096);
            if (n < 0) return Errno.ToStatus(LibC.LastError);
            return NameEncoding.Decode(new ReadOnlySpan<byte>(buffer, (int)n)); // the target's bytes, as names are
        }
    }

    public unsafe VfsResult<FsStats> FsStat(NodeId node)
    {
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        StatfsBuffer st;
        using (lease)
            if (LibC.Fstatfs(lease.Fd, &st) != 0) return Errno.ToStatus(LibC.LastError);
        var block = (ulong)(st.FragmentSize > 0 ? st.FragmentSize : st.BlockSize);
        return new FsStats(
            st.Blocks * block, st.BlocksFree * block, st.BlocksAvailable * block,
            st.Files, st.FilesFree, st.FilesFree,
            (uint)st.BlockSize, (uint)st.NameLength, st.FsId);
    }

    public VfsResult<VfsAttributes> SetWindowsInfo(Principal caller, NodeId node, WindowsInfoUpdate update)
    {
        if (ReadOnly) return VfsStatus.ReadOnly;
        var s = Node(node, out var rec);
        if (s != VfsStatus.Ok) return s;
        s = Stat(rec, out var cur);
        if (s != VfsStatus.Ok) return s;
        if (!Permissions.IsOwnerOrRoot(cur, caller) && !Permissions.Allowed(cur, caller, Permissions.W)) return VfsStatus.AccessDenied;
        _windowsInfo.TryGetValue(rec.Id.Value, out var old);
        var dos = update.DosAttributes ?? old.Dos;
        var created = update.CreationTime ?? old.CreationTime;
        _store.SetWindowsInfo(rec.Id, dos, created); // persisted before it is visible
        _windowsInfo[rec.Id.Value] = (dos, created);
        Changes.Publish(new VfsChange(ChangeKind.AttributesModified, rec.Parent, rec.Name, rec.Id, External: false));
        return StatResult(rec);
    }
}
