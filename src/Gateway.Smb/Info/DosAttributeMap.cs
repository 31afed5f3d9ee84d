using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>FILE_ATTRIBUTE_* (MS-FSCC 2.6) as a Windows client should see a node.</summary>
public static class DosAttributeMap
{
    public const uint ReadOnly = 0x1;
    public const uint Hidden = 0x2;
    public const uint System = 0x4;
    public const uint Directory = 0x10;
    public const uint Archive = 0x20;
    public const uint Normal = 0x80;
    public const uint Temporary = 0x100;
    public const uint SparseFile = 0x200;
    public const uint ReparsePoint = 0x400;
    public const uint Compressed = 0x800;
    public const uint Offline = 0x1000;
    public const uint NotContentIndexed = 0x2000;
    public const uint Encrypted = 0x4000;

    /// <summary>IO_REPARSE_TAG_SYMLINK (MS-FSCC 2.1.2.1): what a symlink reports as its reparse tag.</summary>
    public const uint SymlinkReparseTag = 0xA000000C;

    // Bits a client may store and we can honour. DIRECTORY, NORMAL and REPARSE_POINT are facts
    // of the node, recomputed every time; COMPRESSED and ENCRYPTED would be lies.
    private const uint Storable = ReadOnly | Hidden | System | Archive | Temporary | SparseFile | Offline | NotContentIndexed;

    /// <summary>
    /// Stored DOS bits, DIRECTORY for directories, READONLY when the owner lacks the write bit,
    /// REPARSE_POINT for symlinks, NORMAL alone when nothing else applies (MS-FSCC: NORMAL is only valid alone).
    /// </summary>
    public static uint ToWire(in VfsAttributes a)
    {
        uint result = (uint)a.DosAttributes & Storable;
        switch (a.Type)
        {
            case FileType.Directory:
                // TEMPORARY is invalid on a directory (MS-FSA 2.1.5.14.2).
                result = (result & ~Temporary) | Directory;
                break;
            case FileType.Symlink:
                result |= ReparsePoint;
                break;
        }

        // S_IWUSR (0200) missing: the owner cannot write, which is what READONLY tells Windows.
        if (a.Type != FileType.Symlink && (a.Mode & 0x80) == 0)
        {
            result |= ReadOnly;
        }

        return result == 0 ? Normal : result;
    }

    /// <summary>Reparse tag for FileAttributeTagInformation and the EaSize slot of directory entries.</summary>
    public static uint ReparseTag(in VfsAttributes a) => a.Type == FileType.Symlink ? SymlinkReparseTag : 0;
}
