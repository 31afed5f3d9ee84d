namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    /// <summary>
    /// Read-only look at the node index: a record's (Parent, Name) as last registered. The two are
    /// read without the index's lock, so a rename racing this call may give the old parent with the
    /// new name; callers use it only to name changes for notification, where that is harmless.
    /// </summary>
    public bool TryGetParent(NodeId node, out NodeId parent, out string name)
    {
        parent = NodeId.None;
        name = string.Empty;
        if (node == Root || Node(node, out var rec) != VfsStatus.Ok)
            return false;
        parent = rec.Parent;
        name = rec.Name;
        return !parent.IsNone;
    }
}
