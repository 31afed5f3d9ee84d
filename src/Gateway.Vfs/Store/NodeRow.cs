namespace Gateway.Vfs.Store;

/// <summary>
/// One persisted node: its identity on disk (device, inode, generation = birth time) and one of its
/// names (parent, name), enough to find it again beneath the export root after a restart.
/// </summary>
public sealed record NodeRow(
    NodeId Id, int ExportId, ulong Dev, ulong Ino, ulong Gen, NodeId Parent, string Name, FileType Type, ulong? CreateVerifier);
