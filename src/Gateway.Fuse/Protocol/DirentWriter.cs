using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gateway.Fuse.Abi;
using Gateway.Vfs;

namespace Gateway.Fuse.Protocol;

/// <summary>
/// Packs READDIR (struct fuse_dirent) and READDIRPLUS (struct fuse_direntplus) records into the space the
/// kernel allowed, each padded to 8 bytes (FUSE_DIRENT_ALIGN). An entry that does not fit is refused
/// whole, and the caller stops there: the kernel resumes from the last offset it received.
/// </summary>
internal ref struct DirentWriter
{
    private static readonly int DirentSize = Unsafe.SizeOf<FuseDirent>();
    private static readonly int EntrySize = Unsafe.SizeOf<FuseEntryOut>();

    private readonly Span<byte> _dest;
    private int _length;

    public DirentWriter(Span<byte> dest)
    {
        _dest = dest;
        _length = 0;
    }

    public readonly int Length => _length;

    public static int Align(int n) => (n + 7) & ~7;

    public bool TryAdd(string name, ulong ino, ulong nextOffset, uint type) => TryWrite(null, name, ino, nextOffset, type);

    public bool TryAddPlus(in FuseEntryOut entry, string name, ulong ino, ulong nextOffset, uint type) => TryWrite(entry, name, ino, nextOffset, type);

    private bool TryWrite(FuseEntryOut? entry, string name, ulong ino, ulong nextOffset, uint type)
    {
        var nameLen = NameEncoding.GetByteCount(name); // the on-disk bytes, whatever they are
        if (nameLen < 0) return false; // no Vfs name is like that: Vfs names come from NameEncoding.Decode
        var head = (entry is null ? 0 : EntrySize) + DirentSize;
        var size = Align(head + nameLen);
        if (_dest.Length - _length < size) return false;
        var rec = _dest.Slice(_length, size);
        rec.Clear();
        var pos = 0;
        if (entry is { } e)
        {
            MemoryMarshal.Write(rec, in e);
            pos = EntrySize;
        }
        var d = new FuseDirent { Ino = ino, Off = nextOffset, NameLen = (uint)nameLen, Type = type };
        MemoryMarshal.Write(rec[pos..], in d);
        NameEncoding.TryEncode(name, rec[(pos + DirentSize)..], out _);
        _length += size;
        return true;
    }
}
