using System.Runtime.InteropServices;

namespace Gateway.Fuse.Native;

/// <summary>
/// epoll, for the readers' EPOLLEXCLUSIVE wait on /dev/fuse (see FuseDevice.WaitReadable): one reader is
/// woken per request instead of all of them. The constants are checked against C by FuseAbiTests
/// (native/abi-check/fuse_abi_check.c). struct epoll_event is 12 bytes packed on x86_64 and 16 on other
/// architectures: callers pass a zeroed 16-byte buffer with the event mask at offset 0.
/// </summary>
internal static unsafe partial class EpollNative
{
    private const string Lib = "libc";

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const uint EPOLLIN = 1;
    public const uint EPOLLEXCLUSIVE = 1u << 28;

    [LibraryImport(Lib, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* ev);

    [LibraryImport(Lib, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int maxEvents, int timeoutMs);
}
