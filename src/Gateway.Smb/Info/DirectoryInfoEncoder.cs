using System.Buffers.Binary;
using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>
/// QUERY_DIRECTORY entries (MS-FSCC 2.4). Each entry starts with NextEntryOffset(4) and FileIndex(4);
/// the caller places entries at 8-byte aligned offsets and chains them with <see cref="Link"/>.
/// </summary>
/// <remarks>
/// Common head of the "directory" classes (offsets in bytes):
/// <code>
///  0 NextEntryOffset  4 FileIndex  8 CreationTime  16 LastAccessTime  24 LastWriteTime  32 ChangeTime
/// 40 EndOfFile  48 AllocationSize  56 FileAttributes  60 FileNameLength  64 ...class-specific...
/// </code>
/// Directory(1): FileName at 64. FullDirectory(2): EaSize 64, FileName 68.
/// BothDirectory(3): EaSize 64, ShortNameLength 68, Reserved 69, ShortName[24] 70, FileName 94.
/// IdBothDirectory(37): as Both, Reserved2 94, FileId 96, FileName 104.
/// IdFullDirectory(38): EaSize 64, Reserved 68, FileId 72, FileName 80.
/// IdExtdDirectory(60): EaSize 64, ReparsePointTag 68, FileId(16) 72, FileName 88.
/// Names(12): NextEntryOffset 0, FileIndex 4, FileNameLength 8, FileName 12.
/// </remarks>
public static class DirectoryInfoEncoder
{
    public static bool IsSupported(int infoClass) => HeaderSize(infoClass) > 0;

    /// <summary>Bytes before FileName, 0 for unsupported classes.</summary>
    public static int HeaderSize(int infoClass) => infoClass switch
    {
        FileInformationClass.Directory => 64,
        FileInformationClass.FullDirectory => 68,
        FileInformationClass.BothDirectory => 94,
        FileInformationClass.Names => 12,
        FileInformationClass.IdBothDirectory => 104,
        FileInformationClass.IdFullDirectory => 80,
        FileInformationClass.IdExtdDirectory => 88,
        _ => 0,
    };

    /// <summary>Offset of the next entry after one of <paramref name="entryLength"/> bytes (8-byte alignment).</summary>
    public static int Align(int entryLength) => (entryLength + 7) & ~7;

    /// <summary>
    /// Writes one entry with NextEntryOffset = 0 and returns its unpadded length, or -1 when it does not fit
    /// (or the class is unsupported: check <see cref="IsSupported"/> first).
    /// ShortName is always empty: no 8.3 names are generated. EaSize carries the reparse tag for reparse
    /// points, as MS-FSCC specifies when FILE_ATTRIBUTE_REPARSE_POINT is set; otherwise 0 (no EAs).
    /// </summary>
    public static int Encode(int infoClass, string name, in VfsAttributes a, uint fileIndex, Span<byte> destination)
    {
        int header = HeaderSize(infoClass);
        if (header == 0) return -1;
        int nameBytes = WireText.ByteCount(name);
        int length = header + nameBytes;
        if (destination.Length < length) return -1;

        Span<byte> b = destination.Slice(0, length);
        b.Slice(0, header).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), fileIndex);
        WireText.Write(b.Slice(header), name);

        if (infoClass == FileInformationClass.Names)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(8), (uint)nameBytes);
            return length;
        }

        uint attributes = DosAttributeMap.ToWire(a);
        NodeFigures.WriteTimes(b.Slice(8), a);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(40), NodeFigures.EndOfFile(a));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(48), NodeFigures.AllocationSize(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(56), attributes);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(60), (uint)nameBytes);
        if (infoClass == FileInformationClass.Directory) return length;

        uint reparseTag = (attributes & DosAttributeMap.ReparsePoint) != 0 ? DosAttributeMap.ReparseTag(a) : 0;
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(64), reparseTag); // EaSize
        switch (infoClass)
        {
            case FileInformationClass.IdBothDirectory:
                BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(96), a.Node.Value);
                break;
            case FileInformationClass.IdFullDirectory:
                BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(72), a.Node.Value);
                break;
            case FileInformationClass.IdExtdDirectory:
                // Here EaSize and the reparse tag have fields of their own.
                BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(64), 0);
                BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(68), reparseTag);
                BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(72), a.Node.Value);
                break;
        }

        return length;
    }

    /// <summary>Sets the previous entry's NextEntryOffset (its distance to the next entry, a multiple of 8).</summary>
    public static void Link(Span<byte> previousEntry, int nextEntryOffset) =>
        BinaryPrimitives.WriteUInt32LittleEndian(previousEntry, (uint)nextEntryOffset);
}
