using System.Buffers.Binary;
using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>
/// QUERY_INFO (SMB2_0_INFO_FILE) answers, byte-exact per MS-FSCC 2.4. Each returns the bytes written,
/// -1 when the destination is too small, or <see cref="NotSupported"/> for classes we do not answer.
/// </summary>
public static class FileInfoEncoder
{
    public const int NotSupported = int.MinValue;

    public const int BasicSize = 40;
    public const int StandardSize = 24;
    public const int NetworkOpenSize = 56;
    /// <summary>FileAllInformation before its FileName (Basic 40 + Standard 24 + Internal 8 + Ea 4 + Access 4 + Position 8 + Mode 4 + Alignment 4 + FileNameLength 4).</summary>
    public const int AllFixedSize = 100;
    private const string DataStreamName = "::$DATA";

    /// <summary>True for the classes <see cref="Encode"/> answers.</summary>
    public static bool IsSupported(int infoClass) => MinimumSize(infoClass) >= 0;

    /// <summary>
    /// The smallest output buffer a class is answered in, -1 for an unsupported class. Below it MS-SMB2
    /// answers STATUS_INFO_LENGTH_MISMATCH; from it up to the full answer, STATUS_BUFFER_OVERFLOW with the
    /// answer cut to the buffer. These are Windows's sizeof() of each FILE_*_INFORMATION (a one-character
    /// name array and padding included), the figures smbtorture's smb2.getinfo.qfile_buffercheck expects.
    /// </summary>
    public static int MinimumSize(int infoClass) => infoClass switch
    {
        FileInformationClass.Basic => BasicSize,
        FileInformationClass.Standard => StandardSize,
        FileInformationClass.Internal => 8,
        FileInformationClass.Ea => 4,
        FileInformationClass.Access => 4,
        FileInformationClass.Name or FileInformationClass.NormalizedName => 8,
        FileInformationClass.Position => 8,
        FileInformationClass.Mode => 4,
        FileInformationClass.Alignment => 4,
        FileInformationClass.All => 104,
        FileInformationClass.Stream => 32,
        FileInformationClass.Compression => 16,
        FileInformationClass.NetworkOpen => NetworkOpenSize,
        FileInformationClass.AttributeTag => 8,
        FileInformationClass.Id => 24,
        _ => -1,
    };

    public static int Encode(int infoClass, in VfsAttributes a, in OpenFileContext open, Span<byte> destination) => infoClass switch
    {
        FileInformationClass.Basic => Basic(a, destination),
        FileInformationClass.Standard => Standard(a, open, destination),
        FileInformationClass.Internal => UInt64(open.FileId, destination),
        FileInformationClass.Ea => UInt32(open.EaSize, destination),
        FileInformationClass.Access => UInt32(open.AccessMask, destination),
        FileInformationClass.Name => Name(open.FileName, destination),
        // The normalized name is relative to the share without a leading '\' (the root's is empty),
        // which is what Windows answers and smbtorture's smb2.getinfo.normalized checks.
        FileInformationClass.NormalizedName => Name(open.FileName.TrimStart('\\'), destination),
        FileInformationClass.Position => UInt64((ulong)open.Position, destination),
        FileInformationClass.Mode => UInt32(open.Mode, destination),
        // FILE_BYTE_ALIGNMENT: no alignment requirement for unbuffered I/O.
        FileInformationClass.Alignment => UInt32(0, destination),
        FileInformationClass.All => All(a, open, destination),
        FileInformationClass.Stream => Stream(a, destination),
        FileInformationClass.Compression => Compression(a, destination),
        FileInformationClass.NetworkOpen => NetworkOpen(a, destination),
        FileInformationClass.AttributeTag => AttributeTag(a, destination),
        FileInformationClass.Id => Id(a, open, destination),
        _ => NotSupported,
    };

    // 2.4.7 FileBasicInformation
    //  0 CreationTime  8 LastAccessTime  16 LastWriteTime  24 ChangeTime  32 FileAttributes  36 Reserved  = 40
    private static int Basic(in VfsAttributes a, Span<byte> b)
    {
        if (b.Length < BasicSize) return -1;
        NodeFigures.WriteTimes(b, a);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(32), DosAttributeMap.ToWire(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(36), 0);
        return BasicSize;
    }

    // 2.4.41 FileStandardInformation
    //  0 AllocationSize  8 EndOfFile  16 NumberOfLinks  20 DeletePending  21 Directory  22 Reserved(2)  = 24
    private static int Standard(in VfsAttributes a, in OpenFileContext open, Span<byte> b)
    {
        if (b.Length < StandardSize) return -1;
        bool isDirectory = a.Type == FileType.Directory;
        // Windows shows a directory with one link, and a file being deleted with one link fewer
        // (Samba does the same): clients use NumberOfLinks == 0 to see that the name is going away.
        uint links = isDirectory ? 1u : a.Nlink;
        if (open.DeletePending && links > 0) links--;
        BinaryPrimitives.WriteInt64LittleEndian(b, NodeFigures.AllocationSize(a));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(8), NodeFigures.EndOfFile(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(16), links);
        b[20] = open.DeletePending ? (byte)1 : (byte)0;
        b[21] = isDirectory ? (byte)1 : (byte)0;
        b[22] = 0;
        b[23] = 0;
        return StandardSize;
    }

    // 2.4.28 FileNameInformation / 2.4.30 FileNormalizedNameInformation
    //  0 FileNameLength  4 FileName (UTF-16LE, no terminator)
    private static int Name(ReadOnlySpan<char> name, Span<byte> b)
    {
        int nameBytes = WireText.ByteCount(name);
        if (b.Length < 4 + nameBytes) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)nameBytes);
        WireText.Write(b.Slice(4), name);
        return 4 + nameBytes;
    }

    // 2.4.2 FileAllInformation: the classes below laid end to end, no padding between them.
    //   0 Basic(40)  40 Standard(24)  64 Internal(8)  72 Ea(4)  76 Access(4)  80 Position(8)
    //  88 Mode(4)  92 Alignment(4)  96 FileNameLength(4)  100 FileName
    private static int All(in VfsAttributes a, in OpenFileContext open, Span<byte> b)
    {
        int nameBytes = WireText.ByteCount(open.FileName);
        if (b.Length < AllFixedSize + nameBytes) return -1;
        Basic(a, b);
        Standard(a, open, b.Slice(40));
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(64), open.FileId);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(72), open.EaSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(76), open.AccessMask);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(80), open.Position);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(88), open.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(92), 0);
        return 96 + Name(open.FileName, b.Slice(96));
    }

    // 2.4.47 FileStreamInformation: one entry per stream; a file has its unnamed data stream
    // "::$DATA", a directory has none (an empty answer, as NTFS gives).
    //  0 NextEntryOffset  4 StreamNameLength  8 StreamSize  16 StreamAllocationSize  24 StreamName
    private static int Stream(in VfsAttributes a, Span<byte> b)
    {
        if (a.Type != FileType.Regular) return 0;
        int nameBytes = WireText.ByteCount(DataStreamName);
        if (b.Length < 24 + nameBytes) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), (uint)nameBytes);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(8), NodeFigures.EndOfFile(a));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(16), NodeFigures.AllocationSize(a));
        WireText.Write(b.Slice(24), DataStreamName);
        return 24 + nameBytes;
    }

    // 2.4.9 FileCompressionInformation
    //  0 CompressedFileSize  8 CompressionFormat(2)=NONE  10 CompressionUnitShift  11 ChunkShift  12 ClusterShift  13 Reserved(3)  = 16
    private static int Compression(in VfsAttributes a, Span<byte> b)
    {
        if (b.Length < 16) return -1;
        b.Slice(0, 16).Clear();
        BinaryPrimitives.WriteInt64LittleEndian(b, NodeFigures.EndOfFile(a));
        return 16;
    }

    // 2.4.34 FileNetworkOpenInformation
    //  0..32 times  32 AllocationSize  40 EndOfFile  48 FileAttributes  52 Reserved  = 56
    private static int NetworkOpen(in VfsAttributes a, Span<byte> b)
    {
        if (b.Length < NetworkOpenSize) return -1;
        NodeFigures.WriteTimes(b, a);
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(32), NodeFigures.AllocationSize(a));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(40), NodeFigures.EndOfFile(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(48), DosAttributeMap.ToWire(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(52), 0);
        return NetworkOpenSize;
    }

    // 2.4.6 FileAttributeTagInformation: 0 FileAttributes  4 ReparseTag
    private static int AttributeTag(in VfsAttributes a, Span<byte> b)
    {
        if (b.Length < 8) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, DosAttributeMap.ToWire(a));
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(4), DosAttributeMap.ReparseTag(a));
        return 8;
    }

    // 2.4.23 FileIdInformation: 0 VolumeSerialNumber(8)  8 FileId(16, FILE_ID_128)
    private static int Id(in VfsAttributes a, in OpenFileContext open, Span<byte> b)
    {
        if (b.Length < 24) return -1;
        BinaryPrimitives.WriteUInt64LittleEndian(b, a.FsId);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(8), open.FileId);
        BinaryPrimitives.WriteUInt64LittleEndian(b.Slice(16), 0);
        return 24;
    }

    private static int UInt32(uint value, Span<byte> b)
    {
        if (b.Length < 4) return -1;
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return 4;
    }

    private static int UInt64(ulong value, Span<byte> b)
    {
        if (b.Length < 8) return -1;
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return 8;
    }
}
