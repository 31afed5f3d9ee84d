using System.Collections.Concurrent;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Vfs.Locking;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// The side table from a LockOwner back to the (svid, oh) its client named it by, so a conflict can
/// be reported as nlm4_holder. Memory only: after a restart every NLM lock that survives the grace
/// period was reclaimed, and a reclaim names its owner again. Bounded: past <see cref="Capacity"/>
/// the least recently used half is forgotten; a forgotten owner is reported as svid 0 with an empty
/// oh, which costs the client only the pid in F_GETLK.
/// </summary>
internal sealed class NlmOwners
{
    public const int Capacity = 65536;

    private readonly ConcurrentDictionary<LockOwner, Entry> _owners = new();
    private long _clock;

    public int Count => _owners.Count;

    public void Remember(LockOwner owner, uint svid, byte[] oh)
    {
        var now = Interlocked.Increment(ref _clock);
        var entry = _owners.AddOrUpdate(owner, static (_, a) => new Entry(a.svid, a.oh, a.now),
            static (_, old, a) => old.Svid == a.svid && old.Oh.AsSpan().SequenceEqual(a.oh) ? old : new Entry(a.svid, a.oh, a.now),
            (svid, oh, now));
        Volatile.Write(ref entry.LastUsed, now);
        if (_owners.Count > Capacity) Trim();
    }

    public void Remember(Nlm4Lock alock) => Remember(NlmIdentity.LockOwnerOf(alock), alock.Svid, alock.Oh);

    /// <summary>nlm4_holder for a conflict: the NLM owner's svid and oh when known, else 0 and empty.</summary>
    public Nlm4Holder HolderOf(LockConflict conflict)
    {
        uint svid = 0;
        byte[] oh = [];
        if (conflict.Holder.Protocol == LockProtocol.Nlm && _owners.TryGetValue(conflict.Holder, out var entry))
        {
            svid = entry.Svid;
            oh = entry.Oh;
        }
        return new Nlm4Holder(conflict.Kind == LockKind.Exclusive, svid, oh, conflict.Range.Offset, conflict.Range.Length);
    }

    public void Forget(ClientKey client)
    {
        foreach (var owner in _owners.Keys)
            if (owner.Client == client) _owners.TryRemove(owner, out _);
    }

    private void Trim()
    {
        var snapshot = _owners.ToArray();
        if (snapshot.Length <= Capacity) return;
        Array.Sort(snapshot, static (a, b) => Volatile.Read(ref a.Value.LastUsed).CompareTo(Volatile.Read(ref b.Value.LastUsed)));
        for (var i = 0; i < snapshot.Length / 2; i++) _owners.TryRemove(snapshot[i]);
    }

    private sealed class Entry(uint svid, byte[] oh, long lastUsed)
    {
        public uint Svid { get; } = svid;

        public byte[] Oh { get; } = oh;

        public long LastUsed = lastUsed;
    }
}
