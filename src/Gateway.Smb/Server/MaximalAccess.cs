using Gateway.Smb.Protocol;
using Gateway.Vfs;

namespace Gateway.Smb.Server;

/// <summary>
/// What a principal may do to a node, in Windows access rights, from the Vfs's POSIX answer. DELETE is
/// offered to everyone because whether a name may go is the parent directory's business, which the
/// Vfs decides when the name is actually removed.
/// </summary>
internal static class MaximalAccess
{
    public static uint Of(IVfs vfs, Principal caller, NodeId node, in VfsAttributes a)
    {
        uint max = AccessRights.ReadAttributes | AccessRights.ReadControl | AccessRights.Synchronize | AccessRights.Delete;
        var granted = vfs.Access(caller, node, AccessMask.All);
        var bits = granted.IsOk ? granted.Value : AccessMask.None;
        var dir = a.Type == FileType.Directory;
        if ((bits & AccessMask.Read) != 0)
            max |= AccessRights.ReadData | AccessRights.ReadEa;
        if ((bits & (AccessMask.Execute | AccessMask.Lookup)) != 0)
            max |= AccessRights.Execute;
        if ((bits & (AccessMask.Modify | AccessMask.Extend)) != 0)
            max |= AccessRights.WriteData | AccessRights.AppendData | AccessRights.WriteEa | (dir ? AccessRights.DeleteChild : 0);
        if (caller.Uid == a.Uid || caller.IsSuperUser)
            max |= AccessRights.WriteAttributes | AccessRights.WriteDac | AccessRights.WriteOwner | AccessRights.ReadEa;
        if (vfs.ReadOnly)
            max &= ~AccessRights.AnyWrite;
        return max;
    }
}
