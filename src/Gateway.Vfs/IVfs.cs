using Gateway.Vfs.Events;
using Gateway.Vfs.Locking;

namespace Gateway.Vfs;

/// <summary>
/// One export's filesystem, as every protocol sees it. Handle (NodeId) based; names are single
/// components. Metadata calls are synchronous syscalls (microseconds, like the kernel's own nfsd);
/// data I/O is asynchronous. Errors come back as <see cref="VfsStatus"/>, never as exceptions.
/// </summary>
public interface IVfs : IDisposable
{
    string Name { get; }
    int ExportId { get; }
    NodeId Root { get; }
    bool ReadOnly { get; }
    /// <summary>Changes on every gateway start: NFS write verifier, so clients resend unstable writes after a restart.</summary>
    ulong WriteVerifier { get; }
    ChangeFeed Changes { get; }
    LockManager Locks { get; }

    VfsResult<LookupResult> Lookup(Principal caller, NodeId dir, string name);
    /// <summary>Resolves a '/'-separated path beneath the export root (MOUNT, `gateway` tools); never leaves the export.</summary>
    VfsResult<NodeId> LookupPath(Principal caller, string relativePath);
    VfsResult<VfsAttributes> GetAttr(NodeId node);
    VfsResult<SetAttrResult> SetAttr(Principal caller, NodeId node, SetAttributes attributes);
    VfsResult<AccessMask> Access(Principal caller, NodeId node, AccessMask requested);
    VfsResult<string> ReadLink(Principal caller, NodeId node);

    ValueTask<VfsResult<ReadResult>> ReadAsync(Principal caller, NodeId node, long offset, Memory<byte> buffer, CancellationToken ct = default);
    ValueTask<VfsResult<WriteResult>> WriteAsync(Principal caller, NodeId node, long offset, ReadOnlyMemory<byte> data, WriteStability stability, CancellationToken ct = default);
    /// <summary>Makes earlier unstable writes durable; returns the write verifier.</summary>
    ValueTask<VfsResult<ulong>> CommitAsync(NodeId node, CancellationToken ct = default);

    VfsResult<CreateResult> Create(Principal caller, NodeId dir, string name, CreateHow how);
    VfsResult<CreateResult> Mkdir(Principal caller, NodeId dir, string name, SetAttributes? attributes = null);
    VfsResult<CreateResult> Symlink(Principal caller, NodeId dir, string name, string target, SetAttributes? attributes = null);
    VfsResult<CreateResult> Mknod(Principal caller, NodeId dir, string name, FileType type, uint mode, uint rdevMajor = 0, uint rdevMinor = 0);
    VfsResult<DirChange> Remove(Principal caller, NodeId dir, string name);
    VfsResult<DirChange> Rmdir(Principal caller, NodeId dir, string name);
    VfsResult<RenameResult> Rename(Principal caller, NodeId fromDir, string fromName, NodeId toDir, string toName, RenameFlags flags = RenameFlags.None);
    VfsResult<LinkResult> Link(Principal caller, NodeId node, NodeId dir, string name);

    /// <summary>
    /// Lists entries after <paramref name="cookie"/> (0 = from the start). "." and ".." are not listed.
    /// Cookies stay valid whatever else changes in the directory.
    /// </summary>
    VfsResult<ReadDirPage> ReadDir(Principal caller, NodeId dir, ulong cookie, int maxEntries, bool withAttributes);
    VfsResult<FsStats> FsStat(NodeId node);

    /// <summary>Extended attributes in the user namespace; names are given without the "user." prefix.</summary>
    VfsResult<byte[]> GetXattr(Principal caller, NodeId node, string name);
    VfsResult<bool> SetXattr(Principal caller, NodeId node, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.Either);
    VfsResult<IReadOnlyList<string>> ListXattr(Principal caller, NodeId node);
    VfsResult<bool> RemoveXattr(Principal caller, NodeId node, string name);

    /// <summary>DOS attributes and creation time, kept in the Store.</summary>
    VfsResult<VfsAttributes> SetWindowsInfo(Principal caller, NodeId node, WindowsInfoUpdate update);

    /// <summary>
    /// Opens a regular file for I/O (FUSE OPEN/CREATE, SMB CREATE). The caller's permission is checked
    /// here, once; the open file then works whatever happens to the file's names. <paramref name="truncate"/>
    /// (O_TRUNC) needs Write access.
    /// </summary>
    VfsResult<IVfsOpenFile> Open(Principal caller, NodeId node, OpenAccess access, bool truncate = false);

    /// <summary>
    /// Copies <paramref name="length"/> bytes between two open files (copy_file_range, SMB server-side copy);
    /// returns the bytes copied, fewer only at the source's end.
    /// </summary>
    ValueTask<VfsResult<long>> CopyRangeAsync(Principal caller, IVfsOpenFile source, long sourceOffset, IVfsOpenFile destination, long destinationOffset, long length, CancellationToken ct = default);

    /// <summary>
    /// The directory a node was last seen in and its name there, from what the Vfs already knows
    /// (no disk access, no permission check: only for naming a node the caller already holds, e.g.
    /// SMB CHANGE_NOTIFY WATCH_TREE turning a change deep in a tree into a path). False for the
    /// root, an unknown or lost node, or a backend that keeps no such index.
    /// </summary>
    bool TryGetParent(NodeId node, out NodeId parent, out string name)
    {
        parent = NodeId.None;
        name = string.Empty;
        return false;
    }
}
