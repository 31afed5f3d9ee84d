using Gateway.Nfs.Nlm;

namespace Gateway.Nfs.Nsm;

/// <summary>How the status monitor behaves; every member has a production default.</summary>
public sealed record NsmOptions
{
    /// <summary>
    /// The name the gateway announces in SM_NOTIFY (stat_chge.mon_name). Clients' statd matches it,
    /// or the address it comes from, against the servers they monitor. Null: the machine name.
    /// </summary>
    public string? HostName { get; init; }

    /// <summary>Where clients' status monitors are (SM_NOTIFY, SM_MON callbacks). Null: their portmapper.</summary>
    public ICallbackResolver? Callbacks { get; init; }

    /// <summary>One SM_NOTIFY attempt (resolve, connect, call) must end within this.</summary>
    public TimeSpan NotifyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per host of the restart notification; hosts are notified in parallel.</summary>
    public int NotifyAttempts { get; init; } = 3;

    public TimeSpan NotifyRetryDelay { get; init; } = TimeSpan.FromSeconds(2);
}
