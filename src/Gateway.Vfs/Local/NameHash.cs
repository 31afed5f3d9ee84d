namespace Gateway.Vfs.Local;

/// <summary>
/// Directory cookies: a 64-bit hash of the entry name (FNV-1a, then a 64-bit finaliser for spread).
/// Like ext4's htree positions, a cookie stays meaningful when other entries come and go, and across
/// restarts, so a resumed listing never repeats or loses a surviving entry.
/// Values below <see cref="FirstCookie"/> are reserved (0 = start; protocols use 1 and 2 for "." and "..").
/// </summary>
internal static class NameHash
{
    public const ulong FirstCookie = 3;

    public static ulong Cookie(string name)
    {
        var h = 14695981039346656037UL;
        foreach (var c in name)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        // Keep cookies within 63 bits: some clients treat them as signed offsets (telldir, NFS over 32-bit).
        h &= 0x7FFF_FFFF_FFFF_FFFFUL;
        return h < FirstCookie ? h + FirstCookie : h;
    }
}
