using Gateway.Fuse.Abi;
using Gateway.Fuse.Native;
using Gateway.Fuse.Protocol;

namespace Gateway.Fuse.Session;

/// <summary>
/// The /dev/fuse descriptor of one mount. Opened non-blocking: readers poll with a timeout so that
/// they can notice a stop request (a read blocked on /dev/fuse cannot be woken by closing the fd).
/// </summary>
internal sealed unsafe class FuseDevice : IDisposable
{
    private int _fd;

    public FuseDevice(int fd) => _fd = fd;

    public int Fd => _fd;

    public bool IsClosed => Volatile.Read(ref _fd) < 0;

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a request; true when one may be there (or the device failed).</summary>
    public bool WaitReadable(int timeoutMs)
    {
        var ep = Volatile.Read(ref _epoll);
        if (ep == 0) ep = CreateEpoll();
        if (ep < 0)
        {
            var p = new PollFd { Fd = _fd, Events = FuseNative.POLLIN };
            return FuseNative.Poll(&p, 1, timeoutMs) != 0;
        }
        var ev = stackalloc byte[16];
        return EpollNative.EpollWait(ep, ev, 1, timeoutMs) != 0;
    }

    /// <summary>
    /// All clones of a connection share one request queue, and poll(2) on it wakes every reader for every
    /// request: with four readers, three wake up, read EAGAIN and sleep again, each a context switch, for
    /// each of the four or five requests a small-file create makes. An epoll instance per device with
    /// EPOLLEXCLUSIVE wakes one idle reader per request instead (level-triggered, so a reader that was busy
    /// still finds pending requests when it comes back). 0: not made yet; -1: unavailable, poll instead.
    /// </summary>
    private int _epoll;

    private int CreateEpoll()
    {
        var ep = EpollNative.EpollCreate1(EpollNative.EPOLL_CLOEXEC);
        if (ep >= 0)
        {
            var ev = stackalloc byte[16];
            new Span<byte>(ev, 16).Clear();
            *(uint*)ev = EpollNative.EPOLLIN | EpollNative.EPOLLEXCLUSIVE;
            if (EpollNative.EpollCtl(ep, EpollNative.EPOLL_CTL_ADD, _fd, ev) != 0)
            {
                FuseNative.Close(ep);
                ep = -1;
            }
        }
        else
        {
            ep = -1;
        }
        var existing = Interlocked.CompareExchange(ref _epoll, ep, 0);
        if (existing == 0) return ep;
        if (ep >= 0) FuseNative.Close(ep); // another thread made one first
        return existing;
    }

    /// <summary>Reads one request; returns its length, or -errno (EAGAIN: nothing queued, ENODEV: unmounted).</summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            var n = FuseNative.Read(_fd, b, (nuint)buffer.Length);
            return n >= 0 ? (int)n : -FuseNative.LastError;
        }
    }

    /// <summary>Writes one reply or notification as header + payload in one writev; 0 or an errno.</summary>
    public int Write(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        fixed (byte* h = header)
        fixed (byte* p = payload)
        {
            var iov = stackalloc IoVec[2];
            iov[0] = new IoVec { Base = h, Len = (nuint)header.Length };
            iov[1] = new IoVec { Base = p, Len = (nuint)payload.Length };
            var n = FuseNative.Writev(_fd, iov, payload.Length > 0 ? 2 : 1);
            return n >= 0 ? 0 : FuseNative.LastError;
        }
    }

    /// <summary>FUSE_DEV_IOC_BACKING_OPEN: registers a file for passthrough; the backing id, or -errno.</summary>
    public int BackingOpen(int fileFd)
    {
        var map = new FuseBackingMap { Fd = fileFd };
        var id = FuseNative.Ioctl(_fd, FuseConst.FUSE_DEV_IOC_BACKING_OPEN, &map);
        return id >= 0 ? id : -FuseNative.LastError;
    }

    public int BackingClose(int backingId)
    {
        var id = backingId;
        return FuseNative.Ioctl(_fd, FuseConst.FUSE_DEV_IOC_BACKING_CLOSE, &id) == 0 ? 0 : FuseNative.LastError;
    }

    /// <summary>
    /// A second descriptor on the same connection (open /dev/fuse, FUSE_DEV_IOC_CLONE): requests read from
    /// it must be answered on it. Null when the kernel refuses (the caller shares the original).
    /// </summary>
    public static FuseDevice? TryClone(FuseDevice original)
    {
        var fd = FuseNative.Open("/dev/fuse", FuseNative.O_RDWR | FuseNative.O_CLOEXEC | FuseNative.O_NONBLOCK);
        if (fd < 0) return null;
        var source = (uint)original.Fd;
        if (FuseNative.Ioctl(fd, FuseConst.FUSE_DEV_IOC_CLONE, &source) != 0)
        {
            FuseNative.Close(fd);
            return null;
        }
        return new FuseDevice(fd);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) FuseNative.Close(fd);
        var ep = Interlocked.Exchange(ref _epoll, -1);
        if (ep > 0) FuseNative.Close(ep);
    }

    public static int ErrnoOrEio(int n) => n < 0 ? -n : FuseErrno.EIO;
}
