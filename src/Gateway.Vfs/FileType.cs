namespace Gateway.Vfs;

/// <summary>Object type; numeric values follow NFSv3 ftype3 for readability only, they are not persisted on the wire by the Vfs.</summary>
public enum FileType : byte
{
    Regular = 1,
    Directory = 2,
    BlockDevice = 3,
    CharDevice = 4,
    Symlink = 5,
    Socket = 6,
    Fifo = 7,
}
