using Gateway.Smb.DceRpc;
using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.13 CREATE Request (StructureSize 57):
//   0 StructureSize  2 SecurityFlags  3 RequestedOplockLevel  4 ImpersonationLevel  8 SmbCreateFlags (8)
//  16 Reserved (8)  24 DesiredAccess  28 FileAttributes  32 ShareAccess  36 CreateDisposition  40 CreateOptions
//  44 NameOffset (2)  46 NameLength (2)  48 CreateContextsOffset (4)  52 CreateContextsLength (4)  56 Buffer
// 2.2.14 CREATE Response (StructureSize 89):
//   0 StructureSize  2 OplockLevel  3 Flags  4 CreateAction  8 CreationTime  16 LastAccessTime  24 LastWriteTime
//  32 ChangeTime  40 AllocationSize  48 EndofFile  56 FileAttributes  60 Reserved2  64 FileId (16)
//  80 CreateContextsOffset  84 CreateContextsLength  88 Buffer
//
// Oplocks, leases and durable handles are not granted: the response says OplockLevel NONE and
// carries no RqLs/DHnQ/DH2Q response context, which MS-SMB2 3.3.5.9.8/3.3.5.9.6 allow (a client
// asking for a lease or durability must cope with getting none). Without them, no break has to
// be sent when NFS or FUSE touch the same file.
internal static class CreateCommand
{
    public const uint Supersede = 0, Open = 1, CreateNew = 2, OpenIf = 3, Overwrite = 4, OverwriteIf = 5;
    public const uint Superseded = 0, Opened = 1, Created = 2, Overwritten = 3;
    public const uint OptDirectory = 0x1, OptWriteThrough = 0x2, OptNonDirectory = 0x40, OptDeleteOnClose = 0x1000,
        OptOpenByFileId = 0x2000, OptOpenReparsePoint = 0x200000;
    private const uint ModeMask = 0x103E;
    public const int MaxOpensPerSession = 16384;
    private const uint BadImpersonationLevel = 0xC00000A5;
    private const uint AttributeTemporary = 0x100;

    public static SmbResponse Handle(SmbRequest request) => Handle(request, lostRace: false);

    /// <param name="lostRace">Set on the second pass after another open created the name between our lookup and our create.</param>
    private static SmbResponse Handle(SmbRequest request, bool lostRace)
    {
        var body = request.Body;
        if (body.Length < 56 || Wire.U16(body, 0) != 57)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var desired = Wire.U32(body, 24);
        var fileAttributes = Wire.U32(body, 28);
        var shareAccess = Wire.U32(body, 32);
        var disposition = Wire.U32(body, 36);
        var options = Wire.U32(body, 40);
        var message = request.Message.Span;
        if (!Wire.TrySlice(message, Wire.U16(body, 44), Wire.U16(body, 46), out var nameBytes)
            || !Wire.TrySlice(message, Wire.U32(body, 48), Wire.U32(body, 52), out var contexts))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (disposition > OverwriteIf || (options & (OptDirectory | OptNonDirectory)) == (OptDirectory | OptNonDirectory)
            || shareAccess > 7 || (nameBytes.Length & 1) != 0)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        // A bound on what one session may hold open (Windows and Samba have one too): every open
        // pins Vfs state, and a client looping on CREATE must not exhaust the process's descriptors.
        if (request.Session!.Opens.Count >= MaxOpensPerSession)
            return SmbResponse.Error(NtStatus.InsufficientResources);
        var name = Wire.Utf16(nameBytes);
        if (name.StartsWith('\\'))
            return SmbResponse.Error(NtStatus.InvalidParameter); // as Windows answers a leading separator
        if (Wire.U32(body, 4) > 3)
            return SmbResponse.Error(BadImpersonationLevel);
        var tree = request.Tree!;
        if (tree.IsPipe)
            return OpenPipe(request, name, desired);
        if ((options & OptOpenByFileId) != 0)
            return SmbResponse.Error(NtStatus.NotSupported);
        if (!CreateContexts.TryParse(contexts, out var wanted))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (wanted.DurableReconnect)
            return SmbResponse.Error(NtStatus.ObjectNameNotFound); // no durable handle was ever granted

        var status = PathName.TrySplit(name, out var parts);
        if (status != NtStatus.Success)
            return SmbResponse.Error(status);

        var share = tree.Share!;
        var vfs = share.Vfs;
        var caller = request.Session!.Principal;
        var parent = vfs.Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var step = CaselessLookup.Lookup(vfs, caller, parent, ref parts[i]);
            if (!step.IsOk)
                return SmbResponse.Error(StatusMap.ForIntermediate(step.Status));
            if (step.Value.Attributes.Type != FileType.Directory)
                return SmbResponse.Error(NtStatus.ObjectPathNotFound);
            parent = step.Value.Node;
        }

        var leaf = parts.Length == 0 ? "" : parts[^1];
        NodeId node;
        VfsAttributes attrs;
        bool exists;
        if (parts.Length == 0)
        {
            var root = vfs.GetAttr(vfs.Root);
            if (!root.IsOk)
                return SmbResponse.Error(StatusMap.ToNtStatus(root.Status));
            node = vfs.Root;
            attrs = root.Value;
            exists = true;
        }
        else
        {
            // FILE_CREATE of a new name skips the caseless scan: on this case-sensitive export the name is
            // free when no file has exactly it, and creating many files (cp, untar, cifs O_EXCL) must not
            // pay one directory listing each.
            var found = disposition == CreateNew
                ? vfs.Lookup(caller, parent, leaf)
                : CaselessLookup.Lookup(vfs, caller, parent, ref leaf);
            parts[^1] = leaf;
            if (found.IsOk)
            {
                node = found.Value.Node;
                attrs = found.Value.Attributes;
                exists = true;
            }
            else if (found.Status == VfsStatus.NotFound)
            {
                node = NodeId.None;
                attrs = default;
                exists = false;
            }
            else
            {
                return SmbResponse.Error(StatusMap.ToNtStatus(found.Status));
            }
        }

        var mapped = AccessRights.MapGeneric(desired);
        uint action;
        var wantDirectory = (options & OptDirectory) != 0;
        if (wantDirectory && (fileAttributes & AttributeTemporary) != 0)
            return SmbResponse.Error(NtStatus.InvalidParameter); // MS-FSA: no temporary directories
        if (exists)
        {
            var isDir = attrs.Type == FileType.Directory;
            if (disposition == CreateNew)
                return SmbResponse.Error(NtStatus.ObjectNameCollision);
            if (wantDirectory && !isDir)
                return SmbResponse.Error(NtStatus.NotADirectory);
            if ((options & OptNonDirectory) != 0 && isDir)
                return SmbResponse.Error(NtStatus.FileIsADirectory);
            if (isDir && disposition is Supersede or Overwrite or OverwriteIf)
                return SmbResponse.Error(NtStatus.InvalidParameter);
            if (request.Server.NodeOpens.Find(vfs, node) is { DeletePending: true })
                return SmbResponse.Error(NtStatus.DeletePending);
            var max = MaximalAccess.Of(vfs, caller, node, attrs);
            if ((mapped & AccessRights.MaximumAllowed) != 0)
                mapped = (mapped & ~AccessRights.MaximumAllowed) | max;
            // Data access is what the POSIX mode can refuse; FILE_EXECUTE is not checked because Windows
            // clients ask for it with "all access" on files that have no x bit (Samba grants it too).
            const uint Checked = AccessRights.ReadData | AccessRights.WriteData | AccessRights.AppendData;
            if ((mapped & Checked & ~max) != 0)
                return SmbResponse.Error(NtStatus.AccessDenied);
            if (vfs.ReadOnly && (mapped & AccessRights.AnyWrite) != 0)
                return SmbResponse.Error(NtStatus.AccessDenied);
            action = disposition switch
            {
                Supersede => Superseded,
                Overwrite or OverwriteIf => Overwritten,
                _ => Opened,
            };
        }
        else
        {
            if (disposition is Open or Overwrite)
                return SmbResponse.Error(NtStatus.ObjectNameNotFound);
            if (wantDirectory && disposition is not (CreateNew or OpenIf))
                return SmbResponse.Error(NtStatus.InvalidParameter);
            if (vfs.ReadOnly)
                return SmbResponse.Error(NtStatus.AccessDenied);
            var created = wantDirectory
                ? vfs.Mkdir(caller, parent, leaf, new SetAttributes { Mode = 0x1ED })
                : vfs.Create(caller, parent, leaf, CreateHow.Guarded(new SetAttributes { Mode = 0x1A4 }));
            // Two clients opening the same new name at once (OPEN_IF, smbtorture's mkdir-dup): the one that
            // loses the create opens what the other made, as if it had found it.
            if (created.Status == VfsStatus.Exists && disposition != CreateNew && !lostRace)
                return Handle(request, lostRace: true);
            if (!created.IsOk)
                return SmbResponse.Error(StatusMap.ToNtStatus(created.Status));
            node = created.Value.Node;
            attrs = created.Value.Attributes;
            action = Created;
            if ((mapped & AccessRights.MaximumAllowed) != 0)
                mapped = (mapped & ~AccessRights.MaximumAllowed) | AccessRights.FileAllAccess;
            if ((fileAttributes & DosSettable) != 0)
            {
                var set = vfs.SetWindowsInfo(caller, node, new WindowsInfoUpdate((DosAttributes)(fileAttributes & DosSettable), null));
                if (set.IsOk)
                    attrs = set.Value;
            }
        }
        var isDirectory = attrs.Type == FileType.Directory;
        if ((options & OptDeleteOnClose) != 0)
        {
            if ((mapped & AccessRights.Delete) == 0)
                return SmbResponse.Error(NtStatus.AccessDenied);
            // MS-FSA 2.1.5.1.2.1: a read-only file cannot be opened for delete-on-close.
            var readOnly = action == Created ? (fileAttributes & 0x1) != 0 : (attrs.DosAttributes & DosAttributes.ReadOnly) != 0;
            if (readOnly)
            {
                if (action == Created)
                    RemoveCreated(vfs, caller, parent, leaf, isDirectory);
                return SmbResponse.Error(NtStatus.CannotDelete);
            }
        }

        var session = request.Session;
        var volatileId = SmbConnection.NewId();
        var owner = new LockOwner(LockProtocol.Smb, new ClientKey(session.Id), volatileId);
        var shareBits = ShareBits(mapped);
        var reserved = false;
        if (shareBits != ShareAccess.None)
        {
            var deny = (ShareAccess)(~shareAccess & 7);
            var s = vfs.Locks.OpenShare(node, volatileId, owner, shareBits, deny);
            if (s != VfsStatus.Ok)
                return SmbResponse.Error(StatusMap.ToNtStatus(s));
            reserved = true;
        }

        if (action is Overwritten or Superseded && !isDirectory)
        {
            var truncated = vfs.SetAttr(caller, node, new SetAttributes { Size = 0 });
            if (!truncated.IsOk)
            {
                if (reserved)
                    vfs.Locks.CloseShare(node, volatileId);
                return SmbResponse.Error(StatusMap.ToNtStatus(truncated.Status));
            }
            attrs = truncated.Value.After;
            if ((fileAttributes & DosSettable) != 0)
            {
                var set = vfs.SetWindowsInfo(caller, node, new WindowsInfoUpdate((DosAttributes)(fileAttributes & DosSettable), null));
                if (set.IsOk)
                    attrs = set.Value;
            }
        }

        var open = new SmbOpen
        {
            PersistentId = node.Value,
            VolatileId = volatileId,
            Session = session,
            Tree = tree,
            Vfs = vfs,
            Node = node,
            Parent = parts.Length == 0 ? vfs.Root : parent,
            Name = leaf,
            Path = string.Join('\\', parts),
            IsDirectory = isDirectory,
            Access = mapped,
            Mode = options & ModeMask,
            Owner = owner,
            HasShareReservation = reserved,
            NodeState = request.Server.NodeOpens.Acquire(vfs, node),
            DeleteOnClose = (options & OptDeleteOnClose) != 0,
        };
        session.Opens[volatileId] = open;

        var maximal = wanted.MaximalAccess ? MaximalAccess.Of(vfs, caller, node, attrs) : 0;
        var response = BuildResponse(open, action, attrs, wanted, maximal);
        response.CreatedFileId = (open.PersistentId, open.VolatileId);
        return response;
    }

    // READONLY, HIDDEN, SYSTEM, ARCHIVE, TEMPORARY, NOT_CONTENT_INDEXED: what a client may set.
    private const uint DosSettable = 0x1 | 0x2 | 0x4 | 0x20 | 0x100 | 0x2000;

    // Undoes a create this request made before failing it.
    private static void RemoveCreated(IVfs vfs, Principal caller, NodeId parent, string name, bool directory)
    {
        if (directory)
            vfs.Rmdir(caller, parent, name);
        else
            vfs.Remove(caller, parent, name);
    }

    private static ShareAccess ShareBits(uint access)
    {
        var bits = ShareAccess.None;
        if ((access & (AccessRights.ReadData | AccessRights.Execute)) != 0)
            bits |= ShareAccess.Read;
        if ((access & (AccessRights.WriteData | AccessRights.AppendData)) != 0)
            bits |= ShareAccess.Write;
        if ((access & AccessRights.Delete) != 0)
            bits |= ShareAccess.Delete;
        return bits;
    }

    private static SmbResponse BuildResponse(SmbOpen open, uint action, in VfsAttributes a, CreateContexts wanted, uint maximal)
    {
        var contextsLength = 0;
        if (wanted.MaximalAccess)
            contextsLength += 32;
        if (wanted.QueryOnDiskId)
            contextsLength += 56;
        var r = SmbResponse.Ok(88 + contextsLength);
        var b = r.Body;
        Wire.U16(b, 0, 89);
        Wire.U32(b, 4, action);
        NodeFigures.WriteTimes(b[8..], a);
        Wire.U64(b, 40, (ulong)NodeFigures.AllocationSize(a));
        Wire.U64(b, 48, (ulong)NodeFigures.EndOfFile(a));
        Wire.U32(b, 56, DosAttributeMap.ToWire(a));
        Wire.U64(b, 64, open.PersistentId);
        Wire.U64(b, 72, open.VolatileId);
        if (contextsLength == 0)
            return r;
        Wire.U32(b, 80, Smb2Header.Size + 88);
        Wire.U32(b, 84, (uint)contextsLength);
        var at = 88;
        var last = at;
        if (wanted.MaximalAccess)
        {
            last = at;
            WriteContext(b[at..], "MxAc", 8);
            Wire.U32(b, at + 24, 0);
            Wire.U32(b, at + 28, maximal);
            at += 32;
        }
        if (wanted.QueryOnDiskId)
        {
            if (at != last)
                Wire.U32(b, last, (uint)(at - last));
            last = at;
            WriteContext(b[at..], "QFid", 32);
            Wire.U64(b, at + 24, open.PersistentId);
            Wire.U64(b, at + 40, a.FsId);
        }
        return r;
    }

    private static void WriteContext(Span<byte> b, string name, int dataLength)
    {
        Wire.U32(b, 0, 0);
        Wire.U16(b, 4, 16);
        Wire.U16(b, 6, 4);
        Wire.U16(b, 10, 24);
        Wire.U32(b, 12, (uint)dataLength);
        for (var i = 0; i < 4; i++)
            b[16 + i] = (byte)name[i];
    }

    private static SmbResponse OpenPipe(SmbRequest request, string name, uint desired)
    {
        var pipeName = name.StartsWith(@"PIPE\", StringComparison.OrdinalIgnoreCase) ? name[5..] : name.TrimStart('\\');
        var server = request.Server;
        var endpoint = NamedPipeEndpoint.Open(pipeName, () => ShareList.Of(server), server.Options.ServerName, server.Options.DomainName);
        if (endpoint is null)
            return SmbResponse.Error(NtStatus.ObjectNameNotFound);
        var session = request.Session!;
        var volatileId = SmbConnection.NewId();
        var open = new SmbOpen
        {
            PersistentId = volatileId,
            VolatileId = volatileId,
            Session = session,
            Tree = request.Tree!,
            Pipe = endpoint,
            PipeName = pipeName,
            Path = pipeName,
            Name = pipeName,
            Access = AccessRights.MapGeneric(desired),
        };
        session.Opens[volatileId] = open;
        var r = SmbResponse.Ok(88);
        r.CreatedFileId = (open.PersistentId, open.VolatileId);
        var b = r.Body;
        Wire.U16(b, 0, 89);
        Wire.U32(b, 4, Opened);
        Wire.U32(b, 56, 0x80); // FILE_ATTRIBUTE_NORMAL
        Wire.U64(b, 64, open.PersistentId);
        Wire.U64(b, 72, open.VolatileId);
        return r;
    }
}
