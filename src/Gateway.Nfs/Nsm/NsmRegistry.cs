using Gateway.Vfs.Store;

namespace Gateway.Nfs.Nsm;

/// <summary>
/// The monitored hosts: the Store's clients table (protocol 24) mirrored in memory. Every change is
/// committed to the Store before it is visible, so a host monitored before a crash is notified after it.
/// </summary>
internal sealed class NsmRegistry
{
    private readonly object _gate = new();
    private readonly GatewayStore _store;
    private readonly Dictionary<ulong, NsmRegistration> _all = [];

    public NsmRegistry(GatewayStore store, Action<string>? log)
    {
        _store = store;
        foreach (var row in store.GetClients(Nsm1.ClientProtocol))
        {
            try
            {
                var registration = NsmRegistration.Decode(row.Name, row.Data ?? []);
                _all[registration.Key] = registration;
            }
            catch (Exception e) when (e is Gateway.Rpc.XdrException)
            {
                log?.Invoke($"nsm: unreadable monitor record for {row.Name} dropped ({e.Message})");
                store.DeleteClient(Nsm1.ClientProtocol, row.Key);
            }
        }
    }

    public IReadOnlyList<NsmRegistration> All
    {
        get
        {
            lock (_gate) return [.. _all.Values];
        }
    }

    /// <summary>Adds or updates; false when exactly this was already known (nothing written).</summary>
    public bool Add(NsmRegistration registration)
    {
        lock (_gate)
        {
            if (_all.TryGetValue(registration.Key, out var known) && known.SameAs(registration)) return false;
            _store.PutClient(Nsm1.ClientProtocol, registration.Key, registration.MonName, registration.Encode());
            _all[registration.Key] = registration;
            return true;
        }
    }

    public int RemoveWhere(Func<NsmRegistration, bool> match)
    {
        lock (_gate)
        {
            var gone = _all.Values.Where(match).ToList();
            foreach (var registration in gone)
            {
                _store.DeleteClient(Nsm1.ClientProtocol, registration.Key);
                _all.Remove(registration.Key);
            }
            return gone.Count;
        }
    }

    public bool Contains(ulong key)
    {
        lock (_gate) return _all.ContainsKey(key);
    }
}
