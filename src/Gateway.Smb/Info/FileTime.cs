namespace Gateway.Smb.Info;

/// <summary>
/// FILETIME (MS-DTYP 2.3.3: 100 ns intervals since 1601-01-01 UTC) to and from the Vfs clock
/// (nanoseconds since 1970-01-01 UTC).
/// </summary>
public static class FileTime
{
    /// <summary>FILETIME of the Unix epoch.</summary>
    public const long UnixEpoch = 116_444_736_000_000_000;

    // A long of nanoseconds only spans 1677..2262, so every Vfs time fits in a FILETIME;
    // the reverse does not hold and saturates instead of wrapping.
    private const long MaxFileTimeForNanoseconds = UnixEpoch + long.MaxValue / 100;
    private const long MinFileTimeForNanoseconds = UnixEpoch + long.MinValue / 100;

    /// <summary>Rounds toward the past (floor), so a time never appears later than it was.</summary>
    public static long FromUnixNanoseconds(long ns)
    {
        long ticks = Math.DivRem(ns, 100, out long rest);
        if (rest < 0) ticks--;
        long ft = UnixEpoch + ticks;
        return ft < 0 ? 0 : ft;
    }

    public static long ToUnixNanoseconds(long fileTime)
    {
        if (fileTime >= MaxFileTimeForNanoseconds) return long.MaxValue;
        if (fileTime <= MinFileTimeForNanoseconds) return long.MinValue;
        return (fileTime - UnixEpoch) * 100;
    }
}
