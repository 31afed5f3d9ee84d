using Gateway.Fuse.Tests.Support;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Fuse.Tests.Protocol;

/// <summary>fcntl and flock locks through the mount land in the LockManager every protocol shares.</summary>
public sealed class MountLockTests : IAsyncLifetime
{
    private MountedExport _m = null!;

    public Task InitializeAsync()
    {
        _m = new MountedExport();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _m.DisposeAsync();

    private const string Python = "/usr/bin/python3";

    private static string TryLockScript(string path) =>
        "import fcntl,sys\n" +
        $"f=open('{path}','r+')\n" +
        "try:\n  fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB, 10, 0)\n  print('granted')\n" +
        "except OSError as e:\n  print('denied', e.errno)\n";

    [Fact]
    public void A_fcntl_lock_held_by_one_process_blocks_another()
    {
        File.WriteAllText(_m.M("l"), "lock me");
        var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Python, ["-c",
            "import fcntl,sys,time\n" + $"f=open('{_m.M("l")}','r+')\n" + "fcntl.lockf(f, fcntl.LOCK_EX, 10, 0)\nprint('held', flush=True)\ntime.sleep(30)\n"])
        { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());
            var node = _m.Vfs.LookupPath(Principal.Root, "l").Value;
            var locks = _m.Vfs.Locks.GetLocks(node);
            Assert.Single(locks);
            Assert.Equal(LockProtocol.Fuse, locks[0].Owner.Protocol);

            var other = MountedExport.Run(Python, "-c", TryLockScript(_m.M("l")));
            Assert.Equal("denied 11", other.Out.Trim());
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
            holder.Dispose();
        }
        // The holder's death closes its descriptor: FLUSH releases its locks.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && MountedExport.Run(Python, "-c", TryLockScript(_m.M("l"))).Out.Trim() != "granted") Thread.Sleep(50);
        Assert.Equal("granted", MountedExport.Run(Python, "-c", TryLockScript(_m.M("l"))).Out.Trim());
    }

    [Fact]
    public void An_nlm_lock_in_the_lock_manager_conflicts_with_fcntl_through_the_mount()
    {
        File.WriteAllText(_m.M("shared"), "x");
        var node = _m.Vfs.LookupPath(Principal.Root, "shared").Value;
        var nlm = new LockOwner(LockProtocol.Nlm, new ClientKey(42), 7);
        Assert.True(_m.Vfs.Locks.TryLock(node, nlm, new ByteRange(0, 5), LockKind.Exclusive, LockFlavor.Posix).Granted);
        Assert.Equal("denied 11", MountedExport.Run(Python, "-c", TryLockScript(_m.M("shared"))).Out.Trim());

        // F_GETLK reports the NLM holder's range.
        var getlk = MountedExport.Run(Python, "-c",
            "import fcntl,struct\n" + $"f=open('{_m.M("shared")}','r+')\n" +
            "r=fcntl.fcntl(f, fcntl.F_GETLK, struct.pack('hhqqi', fcntl.F_WRLCK, 0, 0, 0, 0))\n" +
            "t,w,s,l,p=struct.unpack('hhqqi', r)\nprint(t, s, l)\n");
        Assert.Equal("1 0 5", getlk.Out.Trim()); // F_WRLCK, start 0, length 5

        _m.Vfs.Locks.Unlock(node, nlm, new ByteRange(0, 5), LockFlavor.Posix);
        Assert.Equal("granted", MountedExport.Run(Python, "-c", TryLockScript(_m.M("shared"))).Out.Trim());
    }

    [Fact]
    public void A_blocked_setlkw_is_interrupted_by_a_signal_and_withdrawn()
    {
        File.WriteAllText(_m.M("w"), "x");
        var node = _m.Vfs.LookupPath(Principal.Root, "w").Value;
        var nlm = new LockOwner(LockProtocol.Nlm, new ClientKey(1), 1);
        Assert.True(_m.Vfs.Locks.TryLock(node, nlm, ByteRange.WholeFile, LockKind.Exclusive, LockFlavor.Posix).Granted);
        var r = MountedExport.Run(Python, "-c",
            "import fcntl,signal\n" +
            "def boom(*a): raise TimeoutError()\n" +
            "signal.signal(signal.SIGALRM, boom)\nsignal.alarm(1)\n" +
            $"f=open('{_m.M("w")}','r+')\n" +
            "try:\n  fcntl.lockf(f, fcntl.LOCK_EX)\n  print('granted')\nexcept TimeoutError:\n  print('interrupted')\n");
        Assert.Equal("interrupted", r.Out.Trim());
        _m.Vfs.Locks.Unlock(node, nlm, ByteRange.WholeFile, LockFlavor.Posix);
        Thread.Sleep(100);
        Assert.Empty(_m.Vfs.Locks.GetLocks(node)); // the withdrawn waiter was never granted
    }

    [Fact]
    public async Task A_blocked_setlkw_is_granted_when_the_holder_lets_go()
    {
        File.WriteAllText(_m.M("g"), "x");
        var node = _m.Vfs.LookupPath(Principal.Root, "g").Value;
        var nlm = new LockOwner(LockProtocol.Nlm, new ClientKey(2), 2);
        Assert.True(_m.Vfs.Locks.TryLock(node, nlm, ByteRange.WholeFile, LockKind.Exclusive, LockFlavor.Posix).Granted);
        var waiter = Task.Run(() => MountedExport.Run(Python, "-c",
            $"import fcntl\nf=open('{_m.M("g")}','r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('granted')\n"));
        await Task.Delay(500);
        Assert.False(waiter.IsCompleted);
        _m.Vfs.Locks.Unlock(node, nlm, ByteRange.WholeFile, LockFlavor.Posix);
        var result = await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("granted", result.Out.Trim());
    }

    [Fact]
    public void Flock_from_two_processes_excludes_and_releases()
    {
        File.WriteAllText(_m.M("f"), "x");
        var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("flock", [_m.M("f"), "-c", "echo held; sleep 30"])
        { RedirectStandardOutput = true })!;
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());
            Assert.NotEqual(0, MountedExport.Run("flock", "-n", _m.M("f"), "-c", "true").Exit);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
            holder.Dispose();
        }
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && MountedExport.Run("flock", "-n", _m.M("f"), "-c", "true").Exit != 0) Thread.Sleep(50);
        Assert.Equal(0, MountedExport.Run("flock", "-n", _m.M("f"), "-c", "true").Exit);
    }
}
