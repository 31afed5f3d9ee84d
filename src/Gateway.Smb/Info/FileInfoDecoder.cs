using System.Buffers.Binary;

namespace Gateway.Smb.Info;

/// <summary>
/// SET_INFO payloads (MS-FSCC 2.4), decode only. False means malformed: the server answers
/// STATUS_INVALID_PARAMETER (or STATUS_INFO_LENGTH_MISMATCH when the buffer is short, MS-FSA 2.1.5.14).
/// </summary>
public static class FileInfoDecoder
{
    // FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY | FILE_NO_INTERMEDIATE_BUFFERING |
    // FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT: all MS-FSA 2.1.5.14.8 lets a client set.
    private const uint SettableModeBits = 0x2 | 0x4 | 0x8 | 0x10 | 0x20;

    /// <summary>
    /// 2.4.7 FileBasicInformation. Times are raw FILETIMEs: 0 = leave alone, -1 = stop updating it on
    /// this handle (the server may treat it as leave alone), -2 = resume. Attributes 0 = leave alone.
    /// 36 bytes are accepted: the trailing Reserved field is often left off (Samba accepts it too).
    /// </summary>
    public static bool TryBasic(ReadOnlySpan<byte> b, out long creation, out long lastAccess, out long lastWrite, out long change, out uint attributes)
    {
        if (b.Length < 36)
        {
            creation = lastAccess = lastWrite = change = 0;
            attributes = 0;
            return false;
        }

        creation = BinaryPrimitives.ReadInt64LittleEndian(b);
        lastAccess = BinaryPrimitives.ReadInt64LittleEndian(b.Slice(8));
        lastWrite = BinaryPrimitives.ReadInt64LittleEndian(b.Slice(16));
        change = BinaryPrimitives.ReadInt64LittleEndian(b.Slice(24));
        attributes = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(32));
        return creation >= -2 && lastAccess >= -2 && lastWrite >= -2 && change >= -2;
    }

    /// <summary>
    /// 2.4.42.2 FileRenameInformation for SMB2:
    ///  0 ReplaceIfExists(1)  1 Reserved(7)  8 RootDirectory(8)  16 FileNameLength(4)  20 FileName.
    /// </summary>
    public static bool TryRename(ReadOnlySpan<byte> b, out bool replaceIfExists, out ulong rootDirectory, out string fileName)
    {
        replaceIfExists = false;
        rootDirectory = 0;
        fileName = string.Empty;
        if (b.Length < 20) return false;
        replaceIfExists = b[0] != 0;
        rootDirectory = BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(8));
        return TryTrailingName(b, 16, out fileName);
    }

    /// <summary>2.4.27.2 FileLinkInformation for SMB2: same layout as the rename (RootDirectory must be 0 and is ignored).</summary>
    public static bool TryLink(ReadOnlySpan<byte> b, out bool replaceIfExists, out string fileName)
    {
        replaceIfExists = false;
        fileName = string.Empty;
        if (b.Length < 20) return false;
        replaceIfExists = b[0] != 0;
        return TryTrailingName(b, 16, out fileName);
    }

    /// <summary>2.4.11 FileDispositionInformation: DeletePending(1).</summary>
    public static bool TryDisposition(ReadOnlySpan<byte> b, out bool deletePending)
    {
        deletePending = b.Length >= 1 && b[0] != 0;
        return b.Length >= 1;
    }

    /// <summary>2.4.12 FileDispositionInformationEx: Flags(4) (FILE_DISPOSITION_DELETE 0x1, POSIX_SEMANTICS 0x2, ...).</summary>
    public static bool TryDispositionEx(ReadOnlySpan<byte> b, out uint flags)
    {
        flags = b.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return b.Length >= 4;
    }

    /// <summary>2.4.14 FileEndOfFileInformation: EndOfFile(8), must not be negative.</summary>
    public static bool TryEndOfFile(ReadOnlySpan<byte> b, out long endOfFile) => TryNonNegative(b, out endOfFile);

    /// <summary>2.4.4 FileAllocationInformation: AllocationSize(8), must not be negative.</summary>
    public static bool TryAllocation(ReadOnlySpan<byte> b, out long allocationSize) => TryNonNegative(b, out allocationSize);

    /// <summary>2.4.35 FilePositionInformation: CurrentByteOffset(8), must not be negative.</summary>
    public static bool TryPosition(ReadOnlySpan<byte> b, out long position) => TryNonNegative(b, out position);

    /// <summary>2.4.26 FileModeInformation: Mode(4), only the bits MS-FSA lets a client change, and not both synchronous modes.</summary>
    public static bool TryMode(ReadOnlySpan<byte> b, out uint mode)
    {
        mode = b.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        if (b.Length < 4) return false;
        const uint bothSynchronous = 0x10 | 0x20;
        return (mode & ~SettableModeBits) == 0 && (mode & bothSynchronous) != bothSynchronous;
    }

    private static bool TryNonNegative(ReadOnlySpan<byte> b, out long value)
    {
        value = b.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(b) : 0;
        return b.Length >= 8 && value >= 0;
    }

    // FileNameLength at lengthOffset, the name right after it; the length must be even, non-zero
    // and inside the buffer (a client's length is never trusted past the bytes it sent).
    private static bool TryTrailingName(ReadOnlySpan<byte> b, int lengthOffset, out string name)
    {
        name = string.Empty;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(lengthOffset));
        int start = lengthOffset + 4;
        if (length == 0 || length > (uint)(b.Length - start)) return false;
        return WireText.TryRead(b.Slice(start, (int)length), out name);
    }
}
