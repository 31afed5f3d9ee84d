namespace Gateway.Nfs;

/// <summary>The exports the NFS and MOUNT programs serve: found by handle id or by MOUNT path. Immutable.</summary>
public sealed class NfsExports
{
    private readonly NfsExport[] _all;
    private readonly Dictionary<int, NfsExport> _byId = new();

    public NfsExports(IEnumerable<NfsExport> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        _all = exports.ToArray();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in _all)
        {
            if (!_byId.TryAdd(e.Id, e)) throw new ArgumentException($"export id {e.Id} is used twice", nameof(exports));
            if (!paths.Add(e.MountPath)) throw new ArgumentException($"mount path {e.MountPath} is used twice", nameof(exports));
        }
    }

    public NfsExports(params NfsExport[] exports) : this((IEnumerable<NfsExport>)exports)
    {
    }

    public IReadOnlyList<NfsExport> All => _all;

    public NfsExport? FindById(int id) => _byId.GetValueOrDefault(id);

    /// <summary>The export whose MOUNT path (or real directory) is exactly <paramref name="path"/>.</summary>
    public NfsExport? FindByMountPath(string path) =>
        Resolve(path, out var rest) is { } e && rest.Length == 0 ? e : null;

    /// <summary>
    /// The export a MOUNT dirpath falls in: the longest MOUNT path or real directory that is the path
    /// itself or one of its ancestors. <paramref name="remainder"/> is the rest, relative ("" for the root).
    /// </summary>
    public NfsExport? Resolve(string dirpath, out string remainder)
    {
        remainder = "";
        var path = NfsExport.NormalizePath(dirpath);
        if (path is null) return null;
        NfsExport? best = null;
        var bestLength = -1;
        foreach (var e in _all)
        {
            foreach (var candidate in (ReadOnlySpan<string?>)[e.MountPath, e.DirectoryPath])
            {
                if (candidate is null || candidate.Length <= bestLength || !IsSameOrBeneath(path, candidate)) continue;
                best = e;
                bestLength = candidate.Length;
            }
        }
        if (best is not null) remainder = bestLength == 1 ? path.TrimStart('/') : path[bestLength..].TrimStart('/');
        return best;
    }

    private static bool IsSameOrBeneath(string path, string root) =>
        root == "/" || path == root || (path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == '/');
}
