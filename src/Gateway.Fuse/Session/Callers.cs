using System.Collections.Concurrent;
using Gateway.Vfs;

namespace Gateway.Fuse.Session;

/// <summary>
/// The Principal a request acts for: uid/gid from fuse_in_header, supplementary groups from
/// /proc/&lt;pid&gt;/status (cached briefly per pid, since a process's groups rarely change).
/// </summary>
internal sealed class Callers
{
    private static readonly long TtlTicks = TimeSpan.FromSeconds(2).Ticks;
    private readonly ConcurrentDictionary<(uint Pid, uint Uid, uint Gid), (Principal P, long At)> _cache = new();

    public Principal Get(uint uid, uint gid, uint pid)
    {
        if (uid == 0) return gid == 0 ? Principal.Root : new Principal(0, gid, Array.Empty<uint>(), "root");
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        if (_cache.TryGetValue((pid, uid, gid), out var hit) && now - hit.At < TtlTicks) return hit.P;
        var p = new Principal(uid, gid, pid == 0 ? Array.Empty<uint>() : GroupsOf(pid));
        if (_cache.Count > 4096) _cache.Clear();
        _cache[(pid, uid, gid)] = (p, now);
        return p;
    }

    private static uint[] GroupsOf(uint pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("Groups:", StringComparison.Ordinal)) continue;
                var parts = line[7..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                var groups = new List<uint>(parts.Length);
                foreach (var s in parts)
                    if (uint.TryParse(s, out var g)) groups.Add(g);
                return groups.ToArray();
            }
        }
        catch (IOException)
        {
            // The process is gone (or /proc is not ours to read): its primary group is all we know.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Array.Empty<uint>();
    }
}
