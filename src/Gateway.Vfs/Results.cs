namespace Gateway.Vfs;

/// <summary>A node created by Create/Mkdir/Symlink/Mknod, with its attributes and its directory's wcc data.</summary>
public readonly record struct CreateResult(NodeId Node, VfsAttributes Attributes, DirChange Directory);

public readonly record struct LookupResult(NodeId Node, VfsAttributes Attributes, VfsAttributes DirectoryAttributes);

public readonly record struct SetAttrResult(WccAttributes Before, VfsAttributes After);

public readonly record struct RenameResult(DirChange From, DirChange To);

public readonly record struct LinkResult(VfsAttributes Attributes, DirChange Directory);

[Flags]
public enum RenameFlags : uint
{
    None = 0,
    /// <summary>Fail with Exists instead of replacing (RENAME_NOREPLACE; SMB rename without ReplaceIfExists).</summary>
    NoReplace = 1,
    /// <summary>Swap the two names atomically (RENAME_EXCHANGE; FUSE rename2).</summary>
    Exchange = 2,
}

public enum XattrSetMode : byte
{
    Either,
    CreateOnly,
    ReplaceOnly,
}
