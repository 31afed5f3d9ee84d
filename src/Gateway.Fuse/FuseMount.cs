using System.Diagnostics;
using Gateway.Fuse.Mounting;
using Gateway.Fuse.Native;
using Gateway.Fuse.Protocol;
using Gateway.Fuse.Session;
using Gateway.Vfs;

namespace Gateway.Fuse;

/// <summary>
/// An export mounted back locally through FUSE, served by a <see cref="FuseSession"/> over the same Vfs
/// (and LockManager) the network protocols use. Dispose unmounts, lazily when something still uses it,
/// and never waits on the kernel without a bound.
/// </summary>
public sealed class FuseMount : IAsyncDisposable
{
    private readonly FuseDevice _dev;
    private readonly FuseSession _session;
    private readonly FuseMountOptions _options;
    private readonly int _commSocket;
    private readonly Process? _helper;
    private int _disposed;

    private FuseMount(string mountPoint, FuseDevice dev, FuseSession session, FuseMountOptions options, int commSocket, Process? helper)
    {
        MountPoint = mountPoint;
        _dev = dev;
        _session = session;
        _options = options;
        _commSocket = commSocket;
        _helper = helper;
    }

    public string MountPoint { get; }

    /// <summary>Completes when the kernel unmounts or serving stops.</summary>
    public Task Completion => _session.Completion;

    /// <summary>Negotiated protocol minor (7.x).</summary>
    public uint ProtocolMinor => _session.Minor;

    /// <summary>Did the kernel agree to FUSE passthrough for this mount?</summary>
    public bool PassthroughEnabled => _session.PassthroughEnabled;

    /// <summary>Did the kernel offer passthrough in INIT (FUSE_PASSTHROUGH in flags2)?</summary>
    public bool PassthroughOffered => (_session.KernelFlags & Abi.FuseConst.FUSE_PASSTHROUGH) != 0;

    /// <summary>The kernel's FUSE protocol minor as it announced it in INIT.</summary>
    public uint KernelMinor => _session.KernelMinor;

    /// <summary>Opens that were served by passthrough (the kernel read/wrote our descriptor directly).</summary>
    public long PassthroughOpens => _session.PassthroughOpens;

    internal FuseSession Session => _session;

    /// <summary>Readers serving from a FUSE_DEV_IOC_CLONE descriptor of their own.</summary>
    public int ClonedReaders => _session.ClonedReaders;

    /// <summary>Waits until pending cache invalidations have been written to the kernel (for tests).</summary>
    public bool WaitForInvalidations(TimeSpan timeout) => _session.Invalidator.WaitIdle(timeout);

    public static FuseMount Mount(IVfs vfs, string mountPoint, FuseMountOptions options)
    {
        ArgumentNullException.ThrowIfNull(vfs);
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(mountPoint).TrimEnd('/');
        if (full.Length == 0) full = "/";
        if (!File.Exists("/dev/fuse") && !Directory.Exists("/dev/fuse"))
            throw new FuseMountException("/dev/fuse is missing: load the fuse module (modprobe fuse) or give the container the device");

        CleanStaleMount(full, options);
        CheckMountPoint(full);

        var readOnly = options.ReadOnly || vfs.ReadOnly;
        var useFusermount = options.UseFusermount || !Environment.IsPrivilegedProcess;
        int fd, comm = -1;
        Process? helper = null;
        if (useFusermount)
        {
            (fd, comm, helper) = Mounter.MountWithFusermount(full, options.FsName, readOnly, options.AllowOther);
            var fl = FuseNative.Fcntl(fd, 3 /* F_GETFL */, 0);
            FuseNative.Fcntl(fd, 4 /* F_SETFL */, fl | FuseNative.O_NONBLOCK);
            FuseNative.Fcntl(fd, FuseNative.F_SETFD, FuseNative.FD_CLOEXEC);
        }
        else
        {
            fd = FuseNative.Open("/dev/fuse", FuseNative.O_RDWR | FuseNative.O_CLOEXEC | FuseNative.O_NONBLOCK);
            if (fd < 0)
            {
                var e = FuseNative.LastError;
                throw new FuseMountException(e == FuseErrno.EACCES || e == FuseErrno.EPERM
                    ? "/dev/fuse: permission denied"
                    : $"cannot open /dev/fuse: {Strerror(e)}");
            }
            var err = Mounter.MountDirect(fd, full, options.FsName, readOnly, options.AllowOther);
            if (err != 0)
            {
                FuseNative.Close(fd);
                throw new FuseMountException(err switch
                {
                    FuseErrno.EPERM => $"mounting {full} is not permitted (needs root or CAP_SYS_ADMIN; or use fusermount3)",
                    FuseErrno.EBUSY => $"{full} is busy (something is already mounted there)",
                    FuseErrno.ENOENT => $"{full} does not exist",
                    FuseErrno.ENOTDIR => $"{full} is not a directory",
                    FuseErrno.ENODEV => "the kernel has no FUSE support (modprobe fuse)",
                    _ => $"cannot mount {full}: {Strerror(err)}",
                });
            }
        }

        var dev = new FuseDevice(fd);
        var session = new FuseSession(vfs, dev, options);
        var mount = new FuseMount(full, dev, session, options, comm, helper);
        session.Start();
        try
        {
            if (!session.Initialized.Wait(TimeSpan.FromSeconds(10)))
                throw new FuseMountException($"the kernel did not start the FUSE session on {full} within 10 s");
        }
        catch (AggregateException e) when (e.InnerException is FuseMountException inner)
        {
            mount.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw inner;
        }
        catch (FuseMountException)
        {
            mount.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        options.Log($"fuse: {vfs.Name} mounted on {full} (FUSE 7.{session.Minor}{(session.PassthroughEnabled ? ", passthrough" : "")})");
        return mount;
    }

    /// <summary>
    /// A gateway that died leaves its mount behind, answering ENOTCONN ("Transport endpoint is not
    /// connected"). Such a mount of ours is detached first; anything else mounted there is an error.
    /// </summary>
    private static void CleanStaleMount(string full, FuseMountOptions options)
    {
        var type = Mounter.MountedType(full);
        if (type is null) return;
        var stale = false;
        try
        {
            _ = Directory.GetFileSystemEntries(full);
        }
        catch (IOException e) when (e.Message.Contains("not connected", StringComparison.OrdinalIgnoreCase) || (e.HResult & 0xFFFF) == FuseErrno.ENOTCONN)
        {
            stale = true;
        }
        catch (UnauthorizedAccessException)
        {
        }
        if (!stale || !type.StartsWith("fuse", StringComparison.Ordinal))
            throw new FuseMountException($"{full} is busy: a {type} filesystem is already mounted there");
        options.Log($"fuse: {full} holds a dead FUSE mount (transport endpoint not connected); detaching it");
        var err = Environment.IsPrivilegedProcess ? Mounter.Unmount(full, lazy: true) : Mounter.UnmountWithFusermount(full, lazy: true);
        if (err != 0) throw new FuseMountException($"{full} holds a dead FUSE mount that could not be detached (errno {err})");
    }

    private static void CheckMountPoint(string full)
    {
        if (File.Exists(full)) throw new FuseMountException($"{full} is not a directory");
        if (!Directory.Exists(full)) throw new FuseMountException($"{full} does not exist (create an empty directory to mount on)");
        if (Directory.EnumerateFileSystemEntries(full).Any()) throw new FuseMountException($"{full} is not empty");
    }

    private static string Strerror(int errno) => new System.ComponentModel.Win32Exception(errno).Message;

    /// <summary>
    /// Stops serving and closes the device but leaves the kernel mount in place: what a crashed gateway
    /// leaves behind (the mount answers ENOTCONN). Tests use it to check stale-mount cleanup.
    /// </summary>
    internal void AbandonForTests()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
        _dev.Dispose();
        if (_commSocket >= 0) FuseNative.Close(_commSocket);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Task.Run(Teardown).ConfigureAwait(false);
    }

    private void Teardown()
    {
        // 1. Unmount while the readers still serve (a plain umount may need answers); lazily if busy.
        if (Mounter.MountedType(MountPoint) is { } type && type.StartsWith("fuse", StringComparison.Ordinal))
        {
            int err;
            if (_helper is null)
            {
                err = Mounter.Unmount(MountPoint, lazy: false);
                if (err == FuseErrno.EBUSY) err = Mounter.Unmount(MountPoint, lazy: true);
            }
            else
            {
                err = Mounter.UnmountWithFusermount(MountPoint, lazy: false);
                if (err != 0) err = Mounter.UnmountWithFusermount(MountPoint, lazy: true);
            }
            if (err != 0) _options.Log($"fuse: unmounting {MountPoint} failed ({err})");
        }
        // 2. Stop serving, release everything, and close the device: closing it aborts the connection,
        //    so a process still blocked on the (detached) mount gets an error instead of waiting on us.
        _session.Dispose();
        _dev.Dispose();
        if (_commSocket >= 0) FuseNative.Close(_commSocket);
        if (_helper is not null)
        {
            if (!_helper.WaitForExit(5000))
            {
                try { _helper.Kill(); } catch (InvalidOperationException) { }
            }
            _helper.Dispose();
        }
    }
}
