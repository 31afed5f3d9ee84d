using Microsoft.Win32.SafeHandles;

namespace Gateway.Vfs;

/// <summary>
/// An open regular file: keeps reading and writing after its name is removed (POSIX unlink-while-open,
/// SMB delete-pending), because it holds the file itself, not a name. Dispose closes it.
/// </summary>
public interface IVfsOpenFile : IDisposable
{
    NodeId Node { get; }
    bool CanRead { get; }
    bool CanWrite { get; }
    ValueTask<VfsResult<ReadResult>> ReadAsync(long offset, Memory<byte> buffer, CancellationToken ct = default);
    ValueTask<VfsResult<WriteResult>> WriteAsync(long offset, ReadOnlyMemory<byte> data, WriteStability stability, CancellationToken ct = default);
    /// <summary>fsync (or fdatasync when <paramref name="dataOnly"/>).</summary>
    ValueTask<VfsStatus> FlushAsync(bool dataOnly, CancellationToken ct = default);
    /// <summary>ftruncate through this open (FUSE setattr with a file handle): works after the names are gone.</summary>
    VfsStatus SetLength(long length);
    /// <summary>fallocate: reserve, punch a hole or zero a range.</summary>
    VfsStatus Allocate(long offset, long length, AllocateMode mode);
    /// <summary>SEEK_DATA / SEEK_HOLE: the next data or hole at or after <paramref name="offset"/>; NotFound past the end (ENXIO).</summary>
    VfsResult<long> Seek(long offset, SeekWhence whence);
    /// <summary>Attributes of the open file itself (fstat): still answers after the last name is gone.</summary>
    VfsResult<VfsAttributes> GetAttr();
    /// <summary>The real descriptor, for FUSE passthrough (null for backends without one). Do not close it.</summary>
    SafeFileHandle? BackingHandle { get; }
}

[Flags]
public enum OpenAccess : byte
{
    Read = 1,
    Write = 2,
}

[Flags]
public enum AllocateMode : byte
{
    Default = 0,
    /// <summary>FALLOC_FL_KEEP_SIZE: reserve blocks without growing the file.</summary>
    KeepSize = 1,
    /// <summary>FALLOC_FL_PUNCH_HOLE (always with KeepSize, as Linux requires).</summary>
    PunchHole = 2,
    /// <summary>FALLOC_FL_ZERO_RANGE.</summary>
    ZeroRange = 4,
}

/// <summary>lseek whence values beyond SET/CUR/END; the numbers are Linux's SEEK_DATA/SEEK_HOLE.</summary>
public enum SeekWhence : byte
{
    Data = 3,
    Hole = 4,
}
