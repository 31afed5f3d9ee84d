using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.39 SET_INFO Request (StructureSize 33):
//   0 StructureSize 2 InfoType 3 FileInfoClass 4 BufferLength 8 BufferOffset 10 Reserved
//  12 AdditionalInformation 16 FileId 32 Buffer
// 2.2.40 Response: StructureSize 2.
internal static class SetInfoCommand
{
    private const int Basic = 4, Rename = 10, Link = 11, Disposition = 13, Position = 14, Mode = 16,
        Allocation = 19, EndOfFile = 20, DispositionEx = 64;
    private const uint DosSettable = 0x1 | 0x2 | 0x4 | 0x20 | 0x100 | 0x2000;

    public static SmbResponse Handle(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 32 || Wire.U16(body, 0) != 33)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var infoType = body[2];
        int infoClass = body[3];
        if (!Wire.TrySlice(request.Message.Span, Wire.U16(body, 8), Wire.U32(body, 4), out var buffer))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(body.Slice(16, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Vfs is null)
            return SmbResponse.Error(NtStatus.NotSupported);
        uint status = infoType switch
        {
            QueryInfoCommand.InfoFile => SetFile(request, open, infoClass, buffer),
            QueryInfoCommand.InfoSecurity => SetSecurity(open, buffer),
            QueryInfoCommand.InfoFileSystem or QueryInfoCommand.InfoQuota => NtStatus.NotSupported,
            _ => NtStatus.InvalidParameter,
        };
        if (status != NtStatus.Success)
            return SmbResponse.Error(status);
        return SmbResponse.Empty(2);
    }

    private static uint SetFile(SmbRequest request, SmbOpen open, int infoClass, ReadOnlySpan<byte> b)
    {
        var vfs = open.Vfs!;
        var caller = open.Session.Principal;
        switch (infoClass)
        {
            case Basic:
            {
                if (!FileInfoDecoder.TryBasic(b, out var creation, out var access, out var write, out _, out var attributes))
                    return NtStatus.InvalidParameter;
                if (!open.Has(AccessRights.WriteAttributes))
                    return NtStatus.AccessDenied;
                var set = new SetAttributes
                {
                    AccessTime = access > 0 ? TimeUpdate.At(FileTime.ToUnixNanoseconds(access)) : TimeUpdate.DontChange,
                    ModifyTime = write > 0 ? TimeUpdate.At(FileTime.ToUnixNanoseconds(write)) : TimeUpdate.DontChange,
                };
                if (!set.IsEmpty)
                {
                    var done = vfs.SetAttr(caller, open.Node, set);
                    if (!done.IsOk)
                        return StatusMap.ToNtStatus(done.Status);
                }
                if (creation > 0 || attributes != 0)
                {
                    if (((attributes & 0x10) != 0 && !open.IsDirectory) || ((attributes & 0x100) != 0 && open.IsDirectory))
                        return NtStatus.InvalidParameter;
                    DosAttributes? dos = attributes != 0 ? (DosAttributes)(attributes & DosSettable) : null;
                    long? born = creation > 0 ? FileTime.ToUnixNanoseconds(creation) : null;
                    var done = vfs.SetWindowsInfo(caller, open.Node, new WindowsInfoUpdate(dos, born));
                    if (!done.IsOk)
                        return StatusMap.ToNtStatus(done.Status);
                }
                return NtStatus.Success;
            }
            case Rename:
            {
                if (!FileInfoDecoder.TryRename(b, out var replace, out var root, out var target))
                    return NtStatus.InvalidParameter;
                if (root != 0)
                    return NtStatus.InvalidParameter;
                if (!open.Has(AccessRights.Delete))
                    return NtStatus.AccessDenied;
                if (open.Node == vfs.Root)
                    return NtStatus.AccessDenied;
                var s = ResolveTarget(vfs, caller, target, out var toDir, out var toName, out var toPath);
                if (s != NtStatus.Success)
                    return s;
                // Windows opens the parent for the rename: another open of the parent holding DELETE
                // access makes that a sharing violation (smbtorture smb2.rename.*_delete_access).
                if (ParentHasDeleteOpen(vfs, open.Parent) || (toDir != open.Parent && ParentHasDeleteOpen(vfs, toDir)))
                    return NtStatus.SharingViolation;
                var moved = vfs.Rename(caller, open.Parent, open.Name, toDir, toName, replace ? RenameFlags.None : RenameFlags.NoReplace);
                if (!moved.IsOk)
                    return moved.Status == VfsStatus.Exists ? NtStatus.ObjectNameCollision : StatusMap.ToNtStatus(moved.Status);
                lock (open.Gate)
                {
                    open.Parent = toDir;
                    open.Name = toName;
                    open.Path = toPath;
                }
                return NtStatus.Success;
            }
            case Link:
            {
                if (!FileInfoDecoder.TryLink(b, out var replace, out var target))
                    return NtStatus.InvalidParameter;
                if (open.IsDirectory)
                    return NtStatus.FileIsADirectory;
                var s = ResolveTarget(vfs, caller, target, out var toDir, out var toName, out _);
                if (s != NtStatus.Success)
                    return s;
                var existing = vfs.Lookup(caller, toDir, toName);
                if (existing.IsOk)
                {
                    if (!replace)
                        return NtStatus.ObjectNameCollision;
                    var removed = vfs.Remove(caller, toDir, toName);
                    if (!removed.IsOk)
                        return StatusMap.ToNtStatus(removed.Status);
                }
                var linked = vfs.Link(caller, open.Node, toDir, toName);
                return linked.IsOk ? NtStatus.Success : StatusMap.ToNtStatus(linked.Status);
            }
            case Disposition:
            {
                if (!FileInfoDecoder.TryDisposition(b, out var delete))
                    return NtStatus.InvalidParameter;
                return SetDeletePending(open, delete, onClose: false);
            }
            case DispositionEx:
            {
                if (!FileInfoDecoder.TryDispositionEx(b, out var flags))
                    return NtStatus.InvalidParameter;
                // FILE_DISPOSITION_DELETE 0x1, ON_CLOSE 0x8; POSIX semantics are read as the classic kind.
                return SetDeletePending(open, (flags & 1) != 0, onClose: (flags & 8) != 0);
            }
            case EndOfFile:
            {
                if (!FileInfoDecoder.TryEndOfFile(b, out var eof) || eof < 0)
                    return NtStatus.InvalidParameter;
                if (open.IsDirectory)
                    return NtStatus.InvalidParameter;
                if (!open.Has(AccessRights.WriteData))
                    return NtStatus.AccessDenied;
                var done = vfs.SetAttr(caller, open.Node, new SetAttributes { Size = (ulong)eof });
                return done.IsOk ? NtStatus.Success : StatusMap.ToNtStatus(done.Status);
            }
            case Allocation:
            {
                if (!FileInfoDecoder.TryAllocation(b, out var allocation) || allocation < 0)
                    return NtStatus.InvalidParameter;
                if (!open.Has(AccessRights.WriteData | AccessRights.AppendData))
                    return NtStatus.AccessDenied;
                // Allocation below the end of file truncates (MS-FSA 2.1.5.15.1); above it there is nothing to reserve.
                var a = vfs.GetAttr(open.Node);
                if (!a.IsOk)
                    return StatusMap.ToNtStatus(a.Status);
                if ((ulong)allocation < a.Value.Size)
                {
                    var done = vfs.SetAttr(caller, open.Node, new SetAttributes { Size = (ulong)allocation });
                    if (!done.IsOk)
                        return StatusMap.ToNtStatus(done.Status);
                }
                return NtStatus.Success;
            }
            case Position:
            {
                if (!FileInfoDecoder.TryPosition(b, out var position) || position < 0)
                    return NtStatus.InvalidParameter;
                open.Position = position;
                return NtStatus.Success;
            }
            case Mode:
            {
                if (!FileInfoDecoder.TryMode(b, out var mode) || (mode & ~0x103Eu) != 0)
                    return NtStatus.InvalidParameter;
                open.Mode = mode;
                return NtStatus.Success;
            }
            default:
                return NtStatus.InvalidInfoClass;
        }
    }

    private static bool ParentHasDeleteOpen(IVfs vfs, NodeId parent)
    {
        foreach (var share in vfs.Locks.GetShares(parent))
            if ((share.Access & Gateway.Vfs.Locking.ShareAccess.Delete) != 0)
                return true;
        return false;
    }

    private static uint SetDeletePending(SmbOpen open, bool delete, bool onClose)
    {
        if (!open.Has(AccessRights.Delete))
            return NtStatus.AccessDenied;
        var vfs = open.Vfs!;
        if (delete)
        {
            if (open.Node == vfs.Root)
                return NtStatus.CannotDelete;
            var a = vfs.GetAttr(open.Node);
            if (!a.IsOk)
                return StatusMap.ToNtStatus(a.Status);
            if ((a.Value.DosAttributes & DosAttributes.ReadOnly) != 0)
                return NtStatus.CannotDelete;
            if (open.IsDirectory)
            {
                var page = vfs.ReadDir(open.Session.Principal, open.Node, 0, 1, withAttributes: false);
                if (!page.IsOk)
                    return StatusMap.ToNtStatus(page.Status);
                if (page.Value.Entries.Count > 0)
                    return NtStatus.DirectoryNotEmpty;
            }
        }
        if (onClose)
            open.DeleteOnClose = delete;
        else if (open.NodeState is { } state)
            state.SetDeletePending(delete);
        return NtStatus.Success;
    }

    private static uint SetSecurity(SmbOpen open, ReadOnlySpan<byte> descriptor)
    {
        var vfs = open.Vfs!;
        if (!open.Has(AccessRights.WriteDac | AccessRights.WriteOwner))
            return NtStatus.AccessDenied;
        var a = vfs.GetAttr(open.Node);
        if (!a.IsOk)
            return StatusMap.ToNtStatus(a.Status);
        var mode = SecurityDescriptorEncoder.TryDecodeMode(descriptor, a.Value.Mode);
        if (mode is null || (mode.Value & 0xFFF) == a.Value.Permissions)
            return NtStatus.Success;
        var done = vfs.SetAttr(open.Session.Principal, open.Node, new SetAttributes { Mode = mode.Value & 0xFFF });
        return done.IsOk ? NtStatus.Success : StatusMap.ToNtStatus(done.Status);
    }

    /// <summary>A rename/link target: a path from the share root (a leading '\\' is tolerated).</summary>
    private static uint ResolveTarget(IVfs vfs, Principal caller, string target, out NodeId dir, out string name, out string path)
    {
        dir = vfs.Root;
        name = "";
        path = "";
        var s = PathName.TrySplit(target.TrimStart('\\'), out var parts);
        if (s != NtStatus.Success)
            return s;
        if (parts.Length == 0)
            return NtStatus.ObjectNameInvalid;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var step = vfs.Lookup(caller, dir, parts[i]);
            if (!step.IsOk)
                return StatusMap.ForIntermediate(step.Status);
            if (step.Value.Attributes.Type != FileType.Directory)
                return NtStatus.ObjectPathNotFound;
            dir = step.Value.Node;
        }
        name = parts[^1];
        path = string.Join('\\', parts);
        return NtStatus.Success;
    }
}
