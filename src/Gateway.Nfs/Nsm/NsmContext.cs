using System.Buffers.Binary;
using System.Net;
using Gateway.Rpc;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Nsm;

/// <summary>
/// What the NSM procedures share: the state number, the monitored hosts, and the event that tells
/// the NLM service a client rebooted.
/// <para>
/// The state number (XNFS: odd while the host is up, even while it is down, only ever growing) is
/// kept in the Store's meta table as "nsm.state". Each start moves it to the next odd number (by 2,
/// or by 1 if a previous run left it even), so clients that see a new number know the gateway
/// restarted and reclaim their locks. The first start is 1.
/// </para>
/// </summary>
internal sealed class NsmContext
{
    private readonly object _stateGate = new();
    private int _state;

    public NsmContext(GatewayStore store, NsmOptions options, Action<string>? log, CancellationToken stopping)
    {
        Store = store;
        Options = options;
        Log = log;
        HostName = options.HostName ?? Environment.MachineName;
        Registry = new NsmRegistry(store, log);
        _state = Advance(store);
        Notifier = new NsmNotifier(this, stopping);
    }

    public GatewayStore Store { get; }

    public NsmOptions Options { get; }

    public Action<string>? Log { get; }

    public string HostName { get; }

    public NsmRegistry Registry { get; }

    public NsmNotifier Notifier { get; }

    public int State
    {
        get
        {
            lock (_stateGate) return _state;
        }
    }

    /// <summary>SM_SIMU_CRASH: the next odd number, persisted, as if the gateway had restarted.</summary>
    public int Crash()
    {
        lock (_stateGate) return _state = Advance(Store);
    }

    public event Action<string, IPAddress?>? ClientRebooted;

    public void RaiseClientRebooted(string monName, IPAddress? from) => ClientRebooted?.Invoke(monName, from);

    /// <summary>
    /// rpc.statd accepts SM_MON, SM_UNMON, SM_UNMON_ALL and SM_SIMU_CRASH only from the local host
    /// (they are the local lock manager's business); so does the gateway.
    /// </summary>
    public bool IsLocal(RpcCallContext call, string procedure)
    {
        if (call.Connection.RemoteAddress is { } address && IPAddress.IsLoopback(address)) return true;
        Log?.Invoke($"nsm {procedure} from {call.Connection}: only local callers may use it, refused");
        return false;
    }

    // The next odd number after the stored one: odd + 2, even + 1; nothing stored (or nonsense) → 1.
    private static int Advance(GatewayStore store)
    {
        var stored = store.GetMeta(Nsm1.StateMetaKey) is { Length: 4 } bytes ? BinaryPrimitives.ReadInt32BigEndian(bytes) : 0;
        var next = stored <= 0 ? 1 : (stored % 2 == 1 ? stored + 2 : stored + 1);
        var encoded = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(encoded, next);
        store.SetMeta(Nsm1.StateMetaKey, encoded);
        return next;
    }
}
