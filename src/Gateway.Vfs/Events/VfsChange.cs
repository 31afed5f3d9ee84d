namespace Gateway.Vfs.Events;

public enum ChangeKind : byte
{
    Created,
    Removed,
    Renamed,
    DataModified,
    AttributesModified,
    /// <summary>Outside changes were lost (inotify overflow): every cache must be dropped.</summary>
    Overflow,
}

/// <summary>
/// One change in an export, from a protocol through the Vfs or from outside the gateway (External).
/// Consumers: SMB change notify, FUSE cache invalidation, NFSv4 change attributes.
/// For Renamed, (OldDirectory, OldName) is where the node was.
/// </summary>
public readonly record struct VfsChange(
    ChangeKind Kind, NodeId Directory, string? Name, NodeId Node, bool External,
    NodeId OldDirectory = default, string? OldName = null);
