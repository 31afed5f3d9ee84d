namespace Gateway.Vfs;

/// <summary>
/// One directory entry. <see cref="Cookie"/> is a stable position: a hash of the name, so it stays valid
/// when other entries are added or removed, and a resumed listing never repeats an entry.
/// </summary>
public readonly record struct DirEntry(string Name, NodeId Node, FileType Type, ulong Cookie, VfsAttributes? Attributes);

/// <summary>One page of a directory listing.</summary>
public sealed record ReadDirPage(IReadOnlyList<DirEntry> Entries, bool Eof, ulong Verifier, VfsAttributes DirectoryAttributes);

/// <summary>Filesystem-wide figures for FSSTAT/statfs/SMB FileFsSizeInformation.</summary>
public readonly record struct FsStats(
    ulong TotalBytes, ulong FreeBytes, ulong AvailableBytes,
    ulong TotalFiles, ulong FreeFiles, ulong AvailableFiles,
    uint BlockSize, uint MaxNameLength, ulong FsId);
