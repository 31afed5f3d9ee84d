using System.Buffers.Binary;
using Gateway.Vfs;

namespace Gateway.Smb.Info;

/// <summary>
/// The figures every answer about a file shares (CREATE and CLOSE responses, QUERY_INFO, QUERY_DIRECTORY),
/// computed one way for all of them so a client never sees two versions of the same file.
/// </summary>
public static class NodeFigures
{
    public const long AllocationUnit = 4096;

    /// <summary>
    /// CreationTime as a FILETIME. Some filesystems keep no birth time (0): the oldest time we know is
    /// the best stand-in, since a creation time after the last write confuses copy tools.
    /// </summary>
    public static long CreationTime(in VfsAttributes a)
    {
        long ns = a.CreationTime != 0 ? a.CreationTime : Math.Min(a.ModifyTime, a.ChangeTime);
        return FileTime.FromUnixNanoseconds(ns);
    }

    /// <summary>EndOfFile: the size; 0 for directories, as Windows reports (clients sum sizes for folders).</summary>
    public static long EndOfFile(in VfsAttributes a) =>
        a.Type == FileType.Directory ? 0 : (long)Math.Min(a.Size, long.MaxValue);

    /// <summary>AllocationSize: the bytes in use rounded up to 4096; 0 for directories.</summary>
    public static long AllocationSize(in VfsAttributes a)
    {
        if (a.Type == FileType.Directory) return 0;
        ulong used = Math.Min(a.Used, (ulong)long.MaxValue - AllocationUnit);
        return (long)((used + AllocationUnit - 1) / AllocationUnit * AllocationUnit);
    }

    /// <summary>CreationTime, LastAccessTime, LastWriteTime, ChangeTime: 32 bytes, the head of many classes.</summary>
    public static void WriteTimes(Span<byte> b, in VfsAttributes a)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, CreationTime(a));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(8), FileTime.FromUnixNanoseconds(a.AccessTime));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(16), FileTime.FromUnixNanoseconds(a.ModifyTime));
        BinaryPrimitives.WriteInt64LittleEndian(b.Slice(24), FileTime.FromUnixNanoseconds(a.ChangeTime));
    }
}
