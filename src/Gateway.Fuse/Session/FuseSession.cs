using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Coherence;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Fuse.Session;

/// <summary>
/// Serves one mount: a few reader threads each read one request from /dev/fuse, run it against the Vfs
/// and write the reply. Requests run concurrently and finish in any order (the kernel matches replies by
/// unique). Only a blocking SETLKW leaves its thread, as a task, so a waiter never starves the readers.
/// Every operation runs inside an exception fence: a bug answers EIO, it never ends the session.
/// Split by concern: Init, Entries (names and attributes), Files, Dirs, Xattrs, Locks.
/// </summary>
internal sealed partial class FuseSession : IDisposable
{
    /// <summary>Buffer room beyond max_write for fuse_in_header + fuse_write_in (and then some).</summary>
    private const int RequestHeadroom = 4096;
    public const int MaxWrite = 1 << 20;
    public const int MaxPages = 256;

    [ThreadStatic] private static FuseSession? t_serving;
    /// <summary>The descriptor the request being served came from: its reply must go back on the same one.</summary>
    [ThreadStatic] private static FuseDevice? t_device;

    private readonly IVfs _vfs;
    private readonly FuseDevice _dev;
    private readonly FuseMountOptions _options;
    private readonly NodeTable _nodes;
    private readonly OpenHandles _handles = new();
    private readonly Callers _callers = new();
    private readonly Invalidator _invalidator;
    private readonly IDisposable _subscription;
    private readonly ClientKey _client = new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    private readonly Thread[] _readers;
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _entryTimeoutSeconds;
    private readonly uint _entryTimeoutNanos;
    private readonly bool _runningAsRoot = Environment.IsPrivilegedProcess;
    private volatile bool _stopping;
    private int _running;

    public FuseSession(IVfs vfs, FuseDevice dev, FuseMountOptions options)
    {
        _vfs = vfs;
        _dev = dev;
        _options = options;
        _nodes = new NodeTable(vfs.Root);
        var t = options.CacheTimeout < TimeSpan.Zero ? TimeSpan.Zero : options.CacheTimeout;
        _entryTimeoutSeconds = (ulong)(t.Ticks / TimeSpan.TicksPerSecond);
        _entryTimeoutNanos = (uint)(t.Ticks % TimeSpan.TicksPerSecond * 100);
        _invalidator = new Invalidator(dev, _nodes, options.Log);
        _subscription = vfs.Changes.Subscribe(OnChange);
        _readers = new Thread[Math.Clamp(options.ReaderThreads, 1, 64)];
    }

    /// <summary>Completes when INIT has been answered (faults if the kernel and we do not agree).</summary>
    public Task Initialized => _initialized.Task;

    /// <summary>Completes when the kernel unmounted or the session was stopped.</summary>
    public Task Completion => _completion.Task;

    internal NodeTable Nodes => _nodes;
    internal OpenHandles Handles => _handles;
    internal Invalidator Invalidator => _invalidator;

    /// <summary>Opens whose data went through FUSE passthrough (the kernel did the I/O on our descriptor).</summary>
    public long PassthroughOpens => Interlocked.Read(ref _passthroughOpens);

    public void Start()
    {
        _invalidator.Start();
        for (var i = 0; i < _readers.Length; i++)
        {
            // Reader 0 uses the mount's descriptor; the others a FUSE_DEV_IOC_CLONE of it, each with its own
            // processing queue in the kernel (less contention; a reply goes back on the clone it came from).
            var dev = i == 0 ? _dev : FuseDevice.TryClone(_dev) ?? _dev;
            if (!ReferenceEquals(dev, _dev)) _clones.Add(dev);
            _readers[i] = new Thread(() => ReadLoop(dev)) { IsBackground = true, Name = $"fuse-reader-{i}" };
            Interlocked.Increment(ref _running);
            _readers[i].Start();
        }
    }

    private readonly List<FuseDevice> _clones = new();

    /// <summary>How many readers got a cloned descriptor (FUSE_DEV_IOC_CLONE).</summary>
    public int ClonedReaders => _clones.Count;

    private void ReadLoop(FuseDevice dev)
    {
        t_device = dev;
        var request = GC.AllocateUninitializedArray<byte>(MaxWrite + RequestHeadroom, pinned: true);
        var reply = new FuseReplyBuilder(MaxWrite + RequestHeadroom);
        try
        {
            while (!_stopping)
            {
                if (!dev.WaitReadable(200)) continue;
                if (_stopping) break;
                var n = dev.Read(request);
                if (n >= 0)
                {
                    Dispatch(request, n, reply);
                    continue;
                }
                switch (-n)
                {
                    case FuseErrno.EAGAIN or FuseErrno.EINTR or FuseErrno.ENOENT:
                        continue; // nothing for this thread, or the request was interrupted before we read it
                    case FuseErrno.ENODEV:
                        _stopping = true; // unmounted
                        break;
                    default:
                        _options.Log($"fuse: reading /dev/fuse failed: errno {-n}");
                        _stopping = true;
                        break;
                }
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _initialized.TrySetException(new FuseMountException("the kernel ended the FUSE session before INIT"));
                _completion.TrySetResult();
            }
        }
    }

    /// <summary>One request: check the header, run the operation inside the fence, reply.</summary>
    internal void Dispatch(byte[] buffer, int length, FuseReplyBuilder reply)
    {
        var headerSize = Unsafe.SizeOf<FuseInHeader>();
        if (length < headerSize)
        {
            _options.Log($"fuse: {length}-byte request is shorter than its header; dropped");
            return; // no unique to answer
        }
        var h = MemoryMarshal.Read<FuseInHeader>(buffer);
        if (h.Len != (uint)length)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        // Extensions (security context, supplementary groups) sit at the end; we negotiate none, so skip any.
        var ext = h.TotalExtLen * 8;
        if (ext > length - headerSize)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var body = buffer.AsMemory(headerSize, length - headerSize - ext);
        reply.Reset();
        t_serving = this;
        try
        {
            Run((FuseOpcode)h.Opcode, h, body, reply);
        }
        catch (Exception e)
        {
            _options.Log($"fuse: {(FuseOpcode)h.Opcode} failed: {e.GetType().Name}: {e.Message}");
            if ((FuseOpcode)h.Opcode is not (FuseOpcode.Forget or FuseOpcode.BatchForget or FuseOpcode.Interrupt))
                Error(h.Unique, FuseErrno.EIO);
        }
        finally
        {
            t_serving = null;
        }
    }

    private void Run(FuseOpcode op, in FuseInHeader h, ReadOnlyMemory<byte> body, FuseReplyBuilder reply)
    {
        if (op != FuseOpcode.Init && !_serving)
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        switch (op)
        {
            case FuseOpcode.Init: Init(h, body.Span, reply); break;
            case FuseOpcode.Destroy: Ok(h.Unique); _stopping = true; break;
            case FuseOpcode.Lookup: Lookup(h, body.Span, reply); break;
            case FuseOpcode.Forget: Forget(h, body.Span); break;
            case FuseOpcode.BatchForget: BatchForget(body.Span); break;
            case FuseOpcode.GetAttr: GetAttr(h, body.Span, reply); break;
            case FuseOpcode.SetAttr: SetAttr(h, body.Span, reply); break;
            case FuseOpcode.ReadLink: ReadLink(h, reply); break;
            case FuseOpcode.Symlink: Symlink(h, body.Span, reply); break;
            case FuseOpcode.Mknod: Mknod(h, body.Span, reply); break;
            case FuseOpcode.Mkdir: Mkdir(h, body.Span, reply); break;
            case FuseOpcode.Unlink: Remove(h, body.Span, directory: false); break;
            case FuseOpcode.Rmdir: Remove(h, body.Span, directory: true); break;
            case FuseOpcode.Rename: Rename(h, body.Span, rename2: false); break;
            case FuseOpcode.Rename2: Rename(h, body.Span, rename2: true); break;
            case FuseOpcode.Link: Link(h, body.Span, reply); break;
            case FuseOpcode.StatFs: StatFs(h, reply); break;
            case FuseOpcode.Access: Access(h, body.Span); break;
            case FuseOpcode.Open: Open(h, body.Span, reply); break;
            case FuseOpcode.Create: Create(h, body.Span, reply); break;
            case FuseOpcode.Read: Read(h, body.Span, reply); break;
            case FuseOpcode.Write: Write(h, body, reply); break;
            case FuseOpcode.Release: Release(h, body.Span); break;
            case FuseOpcode.Flush: Flush(h, body.Span); break;
            case FuseOpcode.Fsync: Fsync(h, body.Span); break;
            case FuseOpcode.Fallocate: Fallocate(h, body.Span); break;
            case FuseOpcode.Lseek: Lseek(h, body.Span, reply); break;
            case FuseOpcode.CopyFileRange: CopyFileRange(h, body.Span, reply); break;
            case FuseOpcode.OpenDir: OpenDir(h, reply); break;
            case FuseOpcode.ReadDir: ReadDir(h, body.Span, reply, plus: false); break;
            case FuseOpcode.ReadDirPlus: ReadDir(h, body.Span, reply, plus: true); break;
            case FuseOpcode.ReleaseDir: ReleaseDir(h, body.Span); break;
            case FuseOpcode.FsyncDir: FsyncDir(h); break;
            case FuseOpcode.SetXattr: SetXattr(h, body.Span); break;
            case FuseOpcode.GetXattr: GetXattr(h, body.Span, reply); break;
            case FuseOpcode.ListXattr: ListXattr(h, body.Span, reply); break;
            case FuseOpcode.RemoveXattr: RemoveXattr(h, body.Span); break;
            case FuseOpcode.GetLk: GetLk(h, body.Span, reply); break;
            case FuseOpcode.SetLk: SetLk(h, body.Span, wait: false); break;
            case FuseOpcode.SetLkw: SetLk(h, body.Span, wait: true); break;
            case FuseOpcode.Statx: Statx(h, body.Span, reply); break;
            case FuseOpcode.Interrupt: Interrupt(body.Span); break;
            case FuseOpcode.NotifyReply: break; // we never ask for a retrieve, so there is nothing to match
            default: Error(h.Unique, FuseErrno.ENOSYS); break; // IOCTL, POLL, BMAP, TMPFILE, SYNCFS, ...: the kernel falls back
        }
    }

    private Principal Caller(in FuseInHeader h) => _callers.Get(h.Uid, h.Gid, h.Pid);

    // ---- replies ----

    private void Send(ulong unique, FuseReplyBuilder reply)
    {
        var err = (t_device ?? _dev).Write(reply.Finish(unique), default);
        // ENOENT: the request was interrupted and is gone; nothing else to do.
        if (err != 0 && err != FuseErrno.ENOENT) _options.Log($"fuse: reply to {unique} failed: errno {err}");
    }

    private void Reply<T>(ulong unique, FuseReplyBuilder reply, in T value) where T : unmanaged
    {
        reply.Append(value);
        Send(unique, reply);
    }

    private void Ok(ulong unique) => Error(unique, 0);

    private void Error(ulong unique, int errno) => Error(t_device ?? _dev, unique, errno);

    private void Error(FuseDevice dev, ulong unique, int errno)
    {
        Span<byte> header = stackalloc byte[FuseReplyBuilder.HeaderSize];
        FuseReplyBuilder.WriteError(header, unique, errno);
        var err = dev.Write(header, default);
        if (err != 0 && err != FuseErrno.ENOENT) _options.Log($"fuse: reply to {unique} failed: errno {err}");
    }

    private void Status(ulong unique, VfsStatus status) => Error(unique, FuseErrno.Map(status));

    // ---- coherence ----

    /// <summary>
    /// A change in the export. What this session's own requests did, the kernel already knows (it made
    /// them); everything else (other protocols, edits outside the gateway) is queued for invalidation.
    /// Never writes to /dev/fuse here: this runs inside Vfs calls, possibly our own request handlers.
    /// </summary>
    private void OnChange(Gateway.Vfs.Events.VfsChange change)
    {
        if (!change.External && ReferenceEquals(t_serving, this)) return;
        _invalidator.Enqueue(change);
    }

    // ---- shutdown ----

    /// <summary>Stops the readers (they notice within one poll interval) and waits for them.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        foreach (var w in _waits.Values) w.Cancel();
        var deadline = DateTime.UtcNow + wait;
        foreach (var t in _readers)
        {
            if (t is null) continue;
            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero) t.Join(left);
        }
        _initialized.TrySetCanceled();
        _completion.TrySetResult();
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _subscription.Dispose();
        _invalidator.Dispose();
        foreach (var clone in _clones) clone.Dispose();
        foreach (var h in _handles.RemoveAll())
        {
            if (h is FileHandle f) CloseFile(f);
        }
        try
        {
            _vfs.Locks.ReleaseClient(LockProtocol.Fuse, _client);
        }
        catch (Exception e)
        {
            _options.Log($"fuse: releasing the mount's locks failed: {e.Message}");
        }
    }

    private readonly ConcurrentDictionary<ulong, CancellationTokenSource> _waits = new();
    private long _passthroughOpens;
}
