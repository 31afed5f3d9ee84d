using System.Buffers;
using System.Net;
using Gateway.Nfs.Nsm.Procedures;
using Gateway.Rpc;
using Gateway.Vfs.Store;
using P = Gateway.Nfs.Nsm.NsmProcedure;

namespace Gateway.Nfs.Nsm;

/// <summary>
/// The Network Status Monitor (rpc.statd), program 100024 version 1, built into the gateway: it
/// keeps the state number and the monitored hosts in the Store, tells those hosts after a restart
/// (<see cref="NotifyRebootAsync"/>) so they reclaim their NLM locks, and turns a client's SM_NOTIFY
/// into the release of that client's locks (<see cref="ClientRebooted"/>, which NlmProgram handles).
/// </summary>
public sealed class NsmProgram : IRpcProgram, IDisposable
{
    private readonly NsmContext _nsm;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProcedureDescriptor?[] _v1;

    /// <summary>Loads the monitored hosts and moves the state number to its next odd value (one start).</summary>
    public NsmProgram(GatewayStore store, NsmOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _nsm = new NsmContext(store, options ?? new NsmOptions(), log, _stopping.Token);
        _v1 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null("SM_NULL"),
            Row(P.SM_STAT, Stat.Handle),
            Row(P.SM_MON, MonProcedures.HandleMon),
            Row(P.SM_UNMON, MonProcedures.HandleUnmon),
            Row(P.SM_UNMON_ALL, MonProcedures.HandleUnmonAll),
            Row(P.SM_SIMU_CRASH, Notify.HandleSimuCrash),
            Row(P.SM_NOTIFY, Notify.HandleNotify));
    }

    public uint Program => Nsm1.Program;

    public uint MinVersion => Nsm1.Version;

    public uint MaxVersion => Nsm1.Version;

    public string Name => "NSM";

    /// <summary>The current state number: odd, larger after every start (and every SM_SIMU_CRASH).</summary>
    public int State => _nsm.State;

    /// <summary>The name announced in SM_NOTIFY.</summary>
    public string HostName => _nsm.HostName;

    /// <summary>Every monitored host, as the Store holds them.</summary>
    public IReadOnlyList<NsmRegistration> Monitored => _nsm.Registry.All;

    /// <summary>Completes when every status callback and SIMU_CRASH notification started so far has ended.</summary>
    public Task CallbacksIdle => _nsm.Notifier.Idle;

    /// <summary>A host said it rebooted (SM_NOTIFY): its name and the address the notification came from.</summary>
    public event Action<string, IPAddress?>? ClientRebooted
    {
        add => _nsm.ClientRebooted += value;
        remove => _nsm.ClientRebooted -= value;
    }

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) =>
        version == Nsm1.Version ? _v1 : Array.Empty<ProcedureDescriptor?>();

    /// <summary>
    /// The NLM service watches a client that took a lock (Linux lockd's SM_MON to its statd): it is
    /// remembered, with its last address, and told when the gateway restarts. Writes only on change.
    /// </summary>
    public void MonitorClient(string callerName, IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(callerName);
        if (callerName.Length == 0) return;
        _nsm.Registry.Add(NsmRegistration.ForNlm(callerName, address?.ToString()));
    }

    /// <summary>The NLM service no longer watches that client (it rebooted or freed all its locks).</summary>
    public void UnmonitorClient(string callerName)
    {
        ArgumentNullException.ThrowIfNull(callerName);
        var key = NsmRegistration.ForNlm(callerName, null).Key;
        _nsm.Registry.RemoveWhere(r => r.Key == key);
    }

    /// <summary>
    /// Tells every monitored host the gateway restarted (SM_NOTIFY with <see cref="HostName"/> and
    /// <see cref="State"/>), in parallel, each bounded by NotifyTimeout × NotifyAttempts; failures
    /// are logged. Returns how many hosts took it. Call once after the RPC service is listening.
    /// </summary>
    public Task<int> NotifyRebootAsync(CancellationToken cancellationToken = default) =>
        _nsm.Notifier.NotifyRebootAsync(cancellationToken);

    /// <summary>The same, for a host that prefers the Start/Stop vocabulary.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => NotifyRebootAsync(cancellationToken);

    public void Dispose() => _stopping.Cancel();

    private delegate ValueTask NsmHandler(NsmContext nsm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results);

    private ProcedureDescriptor Row(P procedure, NsmHandler handler) =>
        new((uint)procedure, procedure.ToString(), (call, arguments, results) => handler(_nsm, call, arguments, results),
            procedure is P.SM_MON or P.SM_UNMON or P.SM_UNMON_ALL or P.SM_SIMU_CRASH ? ProcedureFlags.MakesWrite : ProcedureFlags.None);
}
