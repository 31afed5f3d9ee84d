namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// Runs file system calls as another user without a helper process: a fresh OS thread switches its own
/// filesystem uid/gid (setfsuid/setfsgid are per thread) and its own groups (the raw setgroups system call,
/// not glibc's, which would change every thread), then exits with them. Leaving fsuid 0 drops
/// CAP_DAC_OVERRIDE, CAP_FOWNER and the other file capabilities, so the kernel and a FUSE server (which
/// gets the fsuid in each request) see an ordinary user.
/// </summary>
internal static class AsUser
{
    public const uint Nobody = 65534;

    public static T Run<T>(uint uid, uint gid, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.SetThreadGroups([gid]) != 0) throw new InvalidOperationException($"setgroups: errno {Libc.LastErrno}");
                Libc.Setfsgid(gid);
                Libc.Setfsuid(uid);
                if (Libc.Setfsuid(uint.MaxValue) != uid || Libc.Setfsgid(uint.MaxValue) != gid)
                    throw new InvalidOperationException("setfsuid/setfsgid did not take");
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("as another user: " + failure.Message, failure);
        return result;
    }

    public static void Run(uint uid, uint gid, Action action) => Run(uid, gid, () => { action(); return 0; });
}
