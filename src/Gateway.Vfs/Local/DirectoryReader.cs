using System.Buffers;
using System.Buffers.Binary;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

/// <summary>Reads a directory with getdents64 through a fresh descriptor re-opened from an O_PATH one.</summary>
internal static unsafe class DirectoryReader
{
    // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    private const int InoOffset = 0, ReclenOffset = 16, TypeOffset = 18, NameOffset = 19;

    public static List<(string Name, ulong Ino, byte Type)> Read(int pathFd)
    {
        var entries = new List<(string, ulong, byte)>();
        if (Sys.Reopen(pathFd, LibC.O_RDONLY | LibC.O_DIRECTORY, out var fd) != 0) return entries;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    var n = LibC.Getdents64(fd, b, (nuint)buffer.Length);
                    if (n <= 0) break;
                    var span = buffer.AsSpan(0, (int)n);
                    for (var pos = 0; pos < span.Length;)
                    {
                        var rec = span[pos..];
                        var reclen = BinaryPrimitives.ReadUInt16LittleEndian(rec[ReclenOffset..]);
                        if (reclen == 0) break;
                        var nameBytes = rec[NameOffset..reclen];
                        var nul = nameBytes.IndexOf((byte)0);
                        if (nul >= 0) nameBytes = nameBytes[..nul];
                        if (!(nameBytes.SequenceEqual("."u8) || nameBytes.SequenceEqual(".."u8)))
                            entries.Add((NameEncoding.Decode(nameBytes), BinaryPrimitives.ReadUInt64LittleEndian(rec[InoOffset..]), rec[TypeOffset]));
                        pos += reclen;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Sys.Close(fd);
        }
        return entries;
    }
}
