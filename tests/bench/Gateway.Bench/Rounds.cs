using System.Diagnostics;

namespace Gateway.Bench;

/// <summary>One side of a comparison: runs one sample of about <c>budget</c> and returns its rate (ops/s or MB/s).</summary>
internal delegate double Sample(TimeSpan budget);

internal static class Measure
{
    /// <summary>
    /// Calls <paramref name="batch"/> (which runs a fixed number of operations and returns that number)
    /// until the budget is spent; returns operations per second.
    /// </summary>
    public static double OpsPerSecond(TimeSpan budget, Func<int> batch)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        long ops = 0, now;
        do
        {
            ops += batch();
            now = Stopwatch.GetTimestamp();
        }
        while (now < deadline);
        return ops * (double)Stopwatch.Frequency / (now - start);
    }

    public static double MegabytesPerSecond(long bytes, long startTimestamp) =>
        bytes / 1e6 / Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}

/// <summary>
/// Runs the two sides of a row against each other: one warm-up sample each, then rounds of
/// (Vfs sample, direct sample), so slow drift of the machine (page cache, writeback, CPU clock)
/// falls on both sides alike instead of on whichever ran second.
/// </summary>
internal static class Rounds
{
    public static ResultRow Compare(string workload, string unit, BenchOptions options, Sample vfs, Sample direct,
        double? maxSlowdown, string note)
    {
        Console.Error.Write($"{workload,-28} warm-up");
        Settle();
        vfs(options.WarmupTime);
        Settle();
        direct(options.WarmupTime);

        var a = new double[options.Rounds];
        var b = new double[options.Rounds];
        for (var r = 0; r < options.Rounds; r++)
        {
            Console.Error.Write($" {r + 1}");
            Settle();
            a[r] = vfs(options.SampleTime);
            Settle();
            b[r] = direct(options.SampleTime);
        }
        Console.Error.WriteLine();
        return new ResultRow(workload, unit, a, b, maxSlowdown, note);
    }

    // Every sample starts from a collected heap: one side's garbage is not collected on the other side's clock.
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
