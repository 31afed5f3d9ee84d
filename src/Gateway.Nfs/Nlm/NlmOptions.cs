using Gateway.Nfs.Nsm;
using Gateway.Vfs.Store;

namespace Gateway.Nfs.Nlm;

/// <summary>How the NLM service behaves; every member has a production default.</summary>
public sealed record NlmOptions
{
    /// <summary>
    /// After the gateway starts, only reclaims (LOCK and SHARE with reclaim set) are served for this
    /// long, so clients told by SM_NOTIFY can take back their locks before anyone else gets them.
    /// Skipped when the Store holds no NLM state from the previous run (nothing to reclaim). Zero: none.
    /// </summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The gateway database, read once at start for the NLM locks and shares of the previous run:
    /// those not reclaimed by the end of the grace period are released. Null: no such cleanup
    /// (and the grace period always applies).
    /// </summary>
    public GatewayStore? Store { get; init; }

    /// <summary>
    /// The status monitor: clients that take a monitored lock are registered with it (so they are
    /// told when the gateway restarts), and its SM_NOTIFY releases a rebooted client's locks.
    /// </summary>
    public NsmProgram? Nsm { get; init; }

    /// <summary>Where clients' NLM services are (for GRANTED and _RES calls). Null: their portmapper.</summary>
    public ICallbackResolver? Callbacks { get; init; }

    /// <summary>One attempt at a callback (resolve, connect, call) must end within this.</summary>
    public TimeSpan CallbackTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Attempts at delivering GRANTED for a blocked lock that has been granted; when all fail the
    /// client is taken to be gone and the lock is released again.
    /// </summary>
    public int GrantedAttempts { get; init; } = 3;

    public TimeSpan GrantedRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Our name in the AUTH_SYS credential of callbacks. Null: the machine name.</summary>
    public string? HostName { get; init; }
}
