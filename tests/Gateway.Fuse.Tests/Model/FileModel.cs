using Gateway.Fuse.Tests.Posix;
using static Gateway.Fuse.Tests.Posix.Libc;

namespace Gateway.Fuse.Tests.Model;

/// <summary>
/// fsx in small: one file on the mount driven by random operations (writes at random offsets, truncates up
/// and down, reads, mmap reads and writes, fallocate, hole punching, zero ranges, copy_file_range within the
/// file, fsync, close and reopen), each checked byte for byte against an in-memory copy. The last operations
/// are kept for the failure message, with the seed to replay them.
/// </summary>
internal sealed unsafe class FileModel : IDisposable
{
    public const int MaxLength = 512 * 1024;
    private const int MaxOp = 64 * 1024;
    private const int Page = 4096;

    private readonly string _path, _backingPath, _label;
    private readonly Random _rng;
    private readonly int _seed;
    private readonly Queue<string> _recent = new();
    private byte[] _model = new byte[MaxLength + MaxOp];
    private long _size;
    private int _fd = -1;
    private long _op;
    private bool _fallocateWorks = true, _punchWorks = true, _zeroWorks = true, _copyWorks = true;

    public FileModel(string path, string backingPath, Random rng, int seed, string label)
    {
        _path = path;
        _backingPath = backingPath;
        _rng = rng;
        _seed = seed;
        _label = label;
        Reopen(create: true);
    }

    public Dictionary<string, int> Counts { get; } = new();
    public List<string> Unsupported { get; } = new();

    public void Dispose()
    {
        if (_fd >= 0) Libc.Close(_fd);
        _fd = -1;
    }

    /// <summary>One random operation.</summary>
    public void Step()
    {
        _op++;
        var pick = _rng.Next(100);
        switch (pick)
        {
            case < 25: Write(); break;
            case < 45: Read(); break;
            case < 52: MapRead(); break;
            case < 57: MapWrite(); break;
            case < 67: Truncate(); break;
            case < 71: Fallocate(); break;
            case < 75: PunchHole(); break;
            case < 78: ZeroRange(); break;
            case < 84: CopyRange(); break;
            case < 88: Fsync(); break;
            case < 91: Reopen(create: false); break;
            default: Read(); break;
        }
        CheckSize();
    }

    private void Record(string what)
    {
        Counts[what.Split(' ')[0]] = Counts.GetValueOrDefault(what.Split(' ')[0]) + 1;
        _recent.Enqueue($"#{_op} {what} (size after {_size})");
        if (_recent.Count > 25) _recent.Dequeue();
    }

    private Exception Fail(string what) => new Xunit.Sdk.XunitException(
        $"fsx {_label}: {what}\n  seed {_seed} (replay: FSX_SEED={_seed}), op #{_op}, model size {_size}\n  last operations:\n    " +
        string.Join("\n    ", _recent));

    private void Expect(bool ok, string call)
    {
        if (!ok) throw Fail($"{call} failed: {Errno.Name(Libc.LastErrno)}");
    }

    private (long Offset, int Length) Range(bool withinFile)
    {
        if (withinFile)
        {
            if (_size == 0) return (0, 0);
            var off = _rng.NextInt64(_size);
            return (off, (int)Math.Min(_rng.Next(1, MaxOp + 1), _size - off));
        }
        var offset = _rng.NextInt64(MaxLength);
        // Mostly small writes, some large, some page aligned: the cases page caches get wrong.
        var length = _rng.Next(4) switch { 0 => _rng.Next(1, 64), 1 => _rng.Next(1, MaxOp + 1), 2 => Page * _rng.Next(1, 16), _ => _rng.Next(1, 8192) };
        if (_rng.Next(3) == 0) offset &= ~(Page - 1L);
        return (offset, length);
    }

    private void Write()
    {
        var (off, len) = Range(withinFile: false);
        var data = new byte[len];
        _rng.NextBytes(data);
        fixed (byte* b = data)
        {
            var n = Libc.Pwrite(_fd, b, (nuint)len, off);
            Expect(n >= 0, $"pwrite({off}, {len})");
            if (n != len) throw Fail($"pwrite({off}, {len}) wrote {n}");
        }
        data.CopyTo(_model, off);
        _size = Math.Max(_size, off + len);
        Record($"write {off} +{len}");
    }

    private void Read()
    {
        var (off, len) = _rng.Next(5) == 0 ? (_rng.NextInt64(_size + MaxOp), _rng.Next(1, MaxOp)) : Range(withinFile: true);
        if (len == 0) return;
        var buffer = new byte[len];
        nint n;
        fixed (byte* b = buffer) n = Libc.Pread(_fd, b, (nuint)len, off);
        Expect(n >= 0, $"pread({off}, {len})");
        var expected = (int)Math.Max(0, Math.Min(len, _size - off));
        Record($"read {off} +{len}");
        if (n != expected) throw Fail($"pread({off}, {len}) returned {n} bytes, expected {expected}");
        if (n > 0) Compare(buffer.AsSpan(0, (int)n), off, "pread");
    }

    private void Compare(ReadOnlySpan<byte> got, long offset, string how)
    {
        var want = _model.AsSpan((int)offset, got.Length);
        if (got.SequenceEqual(want)) return;
        var i = 0;
        while (got[i] == want[i]) i++;
        var j = got.Length - 1;
        while (got[j] == want[j]) j--;
        throw Fail($"{how}: bad data at file offset {offset + i} (0x{offset + i:x}) .. {offset + j}: got {Hex(got.Slice(i, Math.Min(16, got.Length - i)))}, expected {Hex(want.Slice(i, Math.Min(16, want.Length - i)))}");
    }

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b);

    private void MapRead()
    {
        if (_size == 0) return;
        var (off, len) = Range(withinFile: true);
        var start = off & ~(Page - 1L);
        var mapLen = (nuint)(off + len - start);
        var addr = Libc.Mmap(0, mapLen, PROT_READ, MAP_SHARED, _fd, start);
        Expect(addr != -1, $"mmap read({start}, {mapLen})");
        Record($"mapread {off} +{len}");
        try
        {
            Compare(new ReadOnlySpan<byte>((byte*)addr + (off - start), len), off, "mmap read");
        }
        finally
        {
            Libc.Munmap(addr, mapLen);
        }
    }

    private void MapWrite()
    {
        if (_size == 0) return;
        var (off, len) = Range(withinFile: true);
        var start = off & ~(Page - 1L);
        var mapLen = (nuint)(off + len - start);
        var addr = Libc.Mmap(0, mapLen, PROT_READ | PROT_WRITE, MAP_SHARED, _fd, start);
        Expect(addr != -1, $"mmap write({start}, {mapLen})");
        var data = new byte[len];
        _rng.NextBytes(data);
        try
        {
            data.CopyTo(new Span<byte>((byte*)addr + (off - start), len));
            Expect(Libc.Msync(addr, mapLen, MS_SYNC) == 0, "msync");
        }
        finally
        {
            Libc.Munmap(addr, mapLen);
        }
        data.CopyTo(_model, off);
        Record($"mapwrite {off} +{len}");
    }

    private void Truncate()
    {
        var newSize = _rng.Next(3) == 0 ? _rng.NextInt64(Math.Max(1, _size)) : _rng.NextInt64(MaxLength);
        Expect(Libc.Ftruncate(_fd, newSize) == 0, $"ftruncate({newSize})");
        if (newSize > _size) Array.Clear(_model, (int)_size, (int)(newSize - _size));
        else Array.Clear(_model, (int)newSize, (int)(_size - newSize));
        _size = newSize;
        Record($"truncate {newSize}");
    }

    private bool Supported(int rc, ref bool flag, string what)
    {
        if (rc == 0) return true;
        if (Libc.LastErrno == Errno.EOPNOTSUPP)
        {
            flag = false;
            Unsupported.Add(what);
            return false;
        }
        Expect(false, what);
        return false;
    }

    private void Fallocate()
    {
        if (!_fallocateWorks) return;
        var (off, len) = Range(withinFile: false);
        var keep = _rng.Next(2) == 0;
        if (!Supported(Libc.Fallocate(_fd, keep ? FALLOC_FL_KEEP_SIZE : 0, off, len), ref _fallocateWorks, "fallocate")) return;
        if (!keep && off + len > _size)
        {
            Array.Clear(_model, (int)_size, (int)(off + len - _size));
            _size = off + len;
        }
        Record($"fallocate{(keep ? "-keepsize" : "")} {off} +{len}");
    }

    private void PunchHole()
    {
        if (!_punchWorks || _size == 0) return;
        var (off, len) = Range(withinFile: _rng.Next(4) != 0);
        if (len == 0) return;
        if (!Supported(Libc.Fallocate(_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len), ref _punchWorks, "punch hole")) return;
        var end = Math.Min(_size, off + len);
        if (end > off) Array.Clear(_model, (int)off, (int)(end - off));
        Record($"punchhole {off} +{len}");
    }

    private void ZeroRange()
    {
        if (!_zeroWorks) return;
        var (off, len) = Range(withinFile: _rng.Next(3) != 0);
        if (len == 0) return;
        var keep = _rng.Next(2) == 0;
        if (!Supported(Libc.Fallocate(_fd, FALLOC_FL_ZERO_RANGE | (keep ? FALLOC_FL_KEEP_SIZE : 0), off, len), ref _zeroWorks, "zero range")) return;
        var end = keep ? Math.Min(_size, off + len) : off + len;
        if (end > off)
        {
            if (off > _size) Array.Clear(_model, (int)_size, (int)(off - _size));
            Array.Clear(_model, (int)off, (int)(end - off));
        }
        if (!keep) _size = Math.Max(_size, off + len);
        Record($"zerorange{(keep ? "-keepsize" : "")} {off} +{len}");
    }

    private void CopyRange()
    {
        if (!_copyWorks || _size == 0) return;
        var (src, len) = Range(withinFile: true);
        if (len == 0) return;
        var dst = _rng.NextInt64(MaxLength - len);
        if (dst < src + len && src < dst + len) return; // overlapping ranges in one file: EINVAL by definition
        long i = src, o = dst;
        var n = Libc.CopyFileRange(_fd, &i, _fd, &o, (nuint)len, 0);
        if (n < 0 && Libc.LastErrno is Errno.EOPNOTSUPP or Errno.EXDEV or Errno.ENOSYS)
        {
            _copyWorks = false;
            Unsupported.Add("copy_file_range: " + Errno.Name(Libc.LastErrno));
            return;
        }
        Expect(n >= 0, $"copy_file_range({src} -> {dst}, {len})");
        if (n != len) throw Fail($"copy_file_range({src} -> {dst}, {len}) copied {n}");
        Array.Copy(_model, src, _model, dst, len);
        if (dst > _size) Array.Clear(_model, (int)_size, (int)(dst - _size));
        _size = Math.Max(_size, dst + len);
        Record($"copyrange {src}->{dst} +{len}");
    }

    private void Fsync()
    {
        Expect(Libc.Fsync(_fd) == 0, "fsync");
        Record("fsync");
    }

    private void Reopen(bool create)
    {
        if (_fd >= 0)
        {
            Expect(Libc.Close(_fd) == 0, "close");
            Record("close+open");
        }
        fixed (byte* p = Paths.Z(_path))
            _fd = Libc.Open(p, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0x1A4);
        Expect(_fd >= 0, $"open({_path})");
    }

    private void CheckSize()
    {
        Statx st;
        fixed (byte* e = new byte[1]) Expect(Libc.Statx(_fd, e, AT_EMPTY_PATH, STATX_BASIC_STATS, &st) == 0, "fstat");
        if ((long)st.Size != _size) throw Fail($"fstat size {st.Size}, expected {_size}");
    }

    /// <summary>The whole file through the mount, and after fsync the backing file read directly, against the model.</summary>
    public void CheckAll()
    {
        var buffer = new byte[_size + 1];
        nint n;
        fixed (byte* b = buffer) n = Libc.Pread(_fd, b, (nuint)buffer.Length, 0);
        Expect(n >= 0, "pread(whole file)");
        if (n != _size) throw Fail($"whole-file read gave {n} bytes, expected {_size}");
        Compare(buffer.AsSpan(0, (int)n), 0, "whole-file read");

        Expect(Libc.Fsync(_fd) == 0, "fsync");
        var onDisk = File.ReadAllBytes(_backingPath);
        if (onDisk.Length != _size) throw Fail($"the backing file has {onDisk.Length} bytes, expected {_size}");
        Compare(onDisk, 0, "backing file");
    }

    public string Summary() =>
        $"{_label}: {_op} ops, final size {_size}; " + string.Join(", ", Counts.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")) +
        (Unsupported.Count > 0 ? "; unsupported: " + string.Join(", ", Unsupported.Distinct()) : "");
}
