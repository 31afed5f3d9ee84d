using System.Diagnostics;

namespace Gateway.Fuse.Tests.Coherence;

/// <summary>
/// Waits for a condition that another door's change should make true on the mount. The FUSE side learns of
/// outside changes asynchronously (inotify, then a kernel invalidation), so "right after" means within a
/// short bound; the time it took is returned so the tests can print it.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    public static TimeSpan Within(Func<bool> condition, Func<string> describe, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (bound ?? Bound))
                throw new Xunit.Sdk.XunitException($"not seen through the mount within {(bound ?? Bound).TotalSeconds} s: {describe()}");
            Thread.Sleep(5);
        }
        return clock.Elapsed;
    }
}
