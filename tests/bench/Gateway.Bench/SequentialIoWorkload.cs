using System.Diagnostics;
using Gateway.Vfs;
using Gateway.Vfs.Local;

namespace Gateway.Bench;

/// <summary>
/// Sequential 1 MiB writes, then reads, of a whole file: <see cref="LocalVfs.WriteAsync"/> (UNSTABLE, as an
/// NFS client writes) and <see cref="LocalVfs.ReadAsync"/> against RandomAccess.WriteAsync/ReadAsync on the
/// handle of a plain FileStream. A sample is one pass over the file, whatever the time budget. After each
/// write pass the file is flushed to disk outside the clock, so one side's dirty pages are not written back
/// on the other side's time. Reads come from the page cache (the file was just written).
/// </summary>
internal sealed class SequentialIoWorkload : IDisposable
{
    private readonly LocalVfs _vfs;
    private readonly NodeId _node;
    private readonly FileStream _direct;
    private readonly long _fileBytes;
    private readonly byte[] _chunk;
    private readonly byte[] _readBuffer;

    public SequentialIoWorkload(BenchEnvironment env, BenchOptions options)
    {
        _vfs = env.Vfs;
        _fileBytes = options.IoFileBytes;
        _chunk = new byte[options.IoChunkBytes];
        _readBuffer = new byte[options.IoChunkBytes];
        Random.Shared.NextBytes(_chunk);
        _node = BenchEnvironment.Expect(_vfs.Create(Principal.Root, _vfs.Root, "io-vfs", CreateHow.Guarded())).Node;
        _direct = new FileStream(Path.Combine(env.Direct, "io-direct"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, bufferSize: 0);
    }

    public IEnumerable<ResultRow> Run(BenchOptions options)
    {
        var size = $"{_fileBytes >> 20} MiB file in {_chunk.Length >> 20} MiB calls:";
        // Writes first: they also lay the files out, so the reads have something to read.
        yield return Rounds.Compare("sequential write 1 MiB", "MB/s", options,
            _ => Pass(WriteVfsAsync, FlushVfs), _ => Pass(WriteDirectAsync, FlushDirect), maxSlowdown: null, note: $"{size} LocalVfs.WriteAsync(Unstable) vs RandomAccess.WriteAsync(FileStream handle)");
        yield return Rounds.Compare("sequential read 1 MiB", "MB/s", options,
            _ => Pass(ReadVfsAsync), _ => Pass(ReadDirectAsync), maxSlowdown: null, note: $"{size} LocalVfs.ReadAsync vs RandomAccess.ReadAsync (page cache)");
    }

    private double Pass(Func<Task> pass, Action? offClock = null)
    {
        var start = Stopwatch.GetTimestamp();
        pass().GetAwaiter().GetResult();
        var rate = Measure.MegabytesPerSecond(_fileBytes, start);
        offClock?.Invoke();
        return rate;
    }

    private void FlushVfs()
    {
        var r = _vfs.CommitAsync(_node).AsTask().GetAwaiter().GetResult();
        if (!r.IsOk) throw new InvalidOperationException($"CommitAsync: {r.Status}");
    }

    private void FlushDirect() => _direct.Flush(flushToDisk: true);

    private async Task WriteVfsAsync()
    {
        for (long offset = 0; offset < _fileBytes; offset += _chunk.Length)
        {
            var r = await _vfs.WriteAsync(Principal.Root, _node, offset, _chunk, WriteStability.Unstable);
            if (!r.IsOk || r.Value.Count != _chunk.Length) throw new InvalidOperationException($"WriteAsync at {offset}: {r}");
        }
    }

    private async Task WriteDirectAsync()
    {
        var handle = _direct.SafeFileHandle;
        for (long offset = 0; offset < _fileBytes; offset += _chunk.Length)
            await RandomAccess.WriteAsync(handle, _chunk, offset);
    }

    private async Task ReadVfsAsync()
    {
        for (long offset = 0; offset < _fileBytes; offset += _readBuffer.Length)
        {
            var r = await _vfs.ReadAsync(Principal.Root, _node, offset, _readBuffer);
            if (!r.IsOk || r.Value.Count != _readBuffer.Length) throw new InvalidOperationException($"ReadAsync at {offset}: {r}");
        }
    }

    private async Task ReadDirectAsync()
    {
        var handle = _direct.SafeFileHandle;
        for (long offset = 0; offset < _fileBytes; offset += _readBuffer.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, _readBuffer, offset);
            if (n != _readBuffer.Length) throw new InvalidOperationException($"RandomAccess.ReadAsync at {offset}: {n}");
        }
    }

    public void Dispose() => _direct.Dispose();
}
