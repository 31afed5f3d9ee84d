using Gateway.Vfs;

namespace Gateway.Fuse.Session;

/// <summary>
/// What the kernel holds: a lookup count per node (every entry reply adds one, FORGET takes them back,
/// as libfuse's passthrough_ll counts), and the last name it was given for it. FUSE node ids are Vfs
/// NodeId values, except that the export root is FUSE_ROOT_ID (1): the two values swap places.
/// </summary>
internal sealed class NodeTable
{
    private readonly Dictionary<ulong, Known> _known = new();
    private readonly object _gate = new();
    private readonly NodeId _root;

    public NodeTable(NodeId root) => _root = root;

    private sealed class Known
    {
        public long Lookups;
        public ulong Parent;
        public string? Name;
    }

    public ulong ToFuse(NodeId node) => node == _root ? 1 : node.Value == 1 ? _root.Value : node.Value;

    public NodeId ToVfs(ulong fuseId) => fuseId == 1 ? _root : fuseId == _root.Value ? new NodeId(1) : new NodeId(fuseId);

    public int Count
    {
        get { lock (_gate) return _known.Count; }
    }

    /// <summary>One more reference the kernel holds, from an entry reply for <paramref name="name"/> in <paramref name="parentFuse"/>.</summary>
    public void Remember(ulong fuseId, ulong parentFuse, string? name)
    {
        lock (_gate)
        {
            if (!_known.TryGetValue(fuseId, out var k)) _known[fuseId] = k = new Known();
            k.Lookups++;
            if (name is not null and not "." and not "..")
            {
                k.Parent = parentFuse;
                k.Name = name;
            }
        }
    }

    public void Forget(ulong fuseId, ulong count)
    {
        lock (_gate)
        {
            if (!_known.TryGetValue(fuseId, out var k)) return;
            k.Lookups -= (long)Math.Min(count, long.MaxValue);
            if (k.Lookups <= 0) _known.Remove(fuseId);
        }
    }

    /// <summary>Does the kernel have an inode for it (the root always)?</summary>
    public bool IsKnown(ulong fuseId)
    {
        if (fuseId == 1) return true;
        lock (_gate) return _known.ContainsKey(fuseId);
    }

    public long LookupCount(ulong fuseId)
    {
        lock (_gate) return _known.TryGetValue(fuseId, out var k) ? k.Lookups : 0;
    }

    /// <summary>Every node the kernel holds, with the last (parent, name) it learnt it by.</summary>
    public List<(ulong Node, ulong Parent, string? Name)> Snapshot()
    {
        lock (_gate)
        {
            var list = new List<(ulong, ulong, string?)>(_known.Count);
            foreach (var (id, k) in _known) list.Add((id, k.Parent, k.Name));
            return list;
        }
    }
}
