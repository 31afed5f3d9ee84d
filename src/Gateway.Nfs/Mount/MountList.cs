namespace Gateway.Nfs.Mount;

/// <summary>One line of the mount list: a client address and the path it mounted.</summary>
public readonly record struct MountEntry(string Host, string Path);

/// <summary>
/// Who has mounted what (MOUNT DUMP), in memory only: like Linux's rmtab it is advisory, clients
/// do not depend on it, and a restart forgets it. Each (host, path) is listed once.
/// </summary>
internal sealed class MountList
{
    private readonly object _lock = new();
    private readonly List<MountEntry> _entries = [];

    public IReadOnlyList<MountEntry> Snapshot()
    {
        lock (_lock) return _entries.ToArray();
    }

    public void Add(string host, string path)
    {
        var entry = new MountEntry(host, path);
        lock (_lock)
            if (!_entries.Contains(entry)) _entries.Add(entry);
    }

    public void Remove(string host, string path)
    {
        lock (_lock) _entries.Remove(new MountEntry(host, path));
    }

    public void RemoveHost(string host)
    {
        lock (_lock) _entries.RemoveAll(e => e.Host == host);
    }
}
