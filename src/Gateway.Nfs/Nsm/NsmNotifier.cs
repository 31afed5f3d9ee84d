using System.Collections.Concurrent;
using System.Net;
using Gateway.Nfs.Nlm;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm;

/// <summary>
/// The calls the status monitor makes: SM_NOTIFY to every monitored host after a restart (what
/// sm-notify does at boot), and the sm_status callback to requesters of SM_MON when a host they
/// watch reboots. Best effort: bounded in time, every failure logged, nothing retried forever.
/// </summary>
internal sealed class NsmNotifier
{
    private readonly NsmContext _nsm;
    private readonly ICallbackResolver _resolver;
    private readonly AuthSysParams _credential;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    public NsmNotifier(NsmContext nsm, CancellationToken stopping)
    {
        _nsm = nsm;
        _stopping = stopping;
        _resolver = nsm.Options.Callbacks ?? PortmapCallbackResolver.Instance;
        _credential = RpcCallback.Credential(nsm.HostName);
    }

    public Task Idle => Task.WhenAll(_inFlight.Keys);

    /// <summary>SM_NOTIFY (our name, our state) to each monitored host in parallel; the number that took it.</summary>
    public async Task<int> NotifyRebootAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping);
        var state = _nsm.State;
        var arguments = new StatChange(_nsm.HostName, state).Encode();
        var hosts = _nsm.Registry.All.Select(r => (r.MonName, r.Address)).Distinct().ToList();
        if (hosts.Count == 0) return 0;
        var told = await Task.WhenAll(hosts.Select(h => NotifyHostAsync(h.MonName, h.Address, arguments, cts.Token))).ConfigureAwait(false);
        var count = told.Count(t => t);
        _nsm.Log?.Invoke($"nsm: state {state} sent to {count} of {hosts.Count} monitored hosts");
        return count;
    }

    /// <summary>A monitored host rebooted: tell every SM_MON requester watching it (sm_status with its priv).</summary>
    public void StatusChanged(string monName, int state)
    {
        foreach (var registration in _nsm.Registry.All)
        {
            if (registration.Internal || !string.Equals(registration.MonName, monName, StringComparison.OrdinalIgnoreCase)) continue;
            Track(CallBackAsync(registration, new SmStatus(registration.MonName, state, registration.Priv).Encode()));
        }
    }

    public void Track(Task task)
    {
        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<bool> NotifyHostAsync(string monName, string? address, byte[] arguments, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, _nsm.Options.NotifyAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                var host = await AddressOfAsync(address ?? monName, cancellationToken).ConfigureAwait(false);
                await RpcCallback.CallAsync(_resolver, host, Nsm1.Program, Nsm1.Version, (uint)NsmProcedure.SM_NOTIFY, arguments,
                    _credential, _nsm.Options.NotifyTimeout, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e)
            {
                _nsm.Log?.Invoke($"nsm: SM_NOTIFY to {monName} (attempt {attempt}/{attempts}): {e.Message}");
            }
            if (attempt == attempts) break;
            try
            {
                await Task.Delay(_nsm.Options.NotifyRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private async Task CallBackAsync(NsmRegistration registration, byte[] arguments)
    {
        try
        {
            // my_name is the requester's own host: nearly always this one.
            var host = await AddressOfAsync(registration.MyName.Length == 0 ? "127.0.0.1" : registration.MyName, _stopping).ConfigureAwait(false);
            await RpcCallback.CallAsync(_resolver, host, registration.MyProg, registration.MyVers, registration.MyProc, arguments,
                _credential, _nsm.Options.NotifyTimeout, _stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _nsm.Log?.Invoke($"nsm: status callback for {registration.MonName} to {registration.MyName} failed: {e.Message}");
        }
        catch (Exception)
        {
            // stopping
        }
    }

    /// <summary>An address literal as is; a name through DNS, bounded by the notify timeout.</summary>
    private async Task<IPAddress> AddressOfAsync(string name, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(name, out var literal)) return literal;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_nsm.Options.NotifyTimeout);
        var addresses = await Dns.GetHostAddressesAsync(name, cts.Token).ConfigureAwait(false);
        return addresses.Length > 0 ? addresses[0] : throw new IOException($"{name} has no address");
    }
}
