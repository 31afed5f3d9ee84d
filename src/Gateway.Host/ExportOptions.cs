using System.Net;
using Gateway.Host.Rpc;
using Gateway.Host.Smb;
using Gateway.Nfs;

namespace Gateway.Host;

/// <summary>One exported directory and how it is served.</summary>
public sealed record ExportOptions
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public bool ReadOnly { get; init; }
    public bool WatchExternalChanges { get; init; } = true;
}

/// <summary>The NFS server (NFSv3 and MOUNT on one TCP port).</summary>
public sealed record NfsOptions
{
    public const int DefaultPort = 2049;

    /// <summary>TCP port; 0 picks a free one (printed at start).</summary>
    public int Port { get; init; } = DefaultPort;
    public PortmapMode Portmap { get; init; } = PortmapMode.Auto;
    /// <summary>Clients allowed (addresses, CIDR blocks or "*"); empty: the listen address's own host only.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    public Squash Squash { get; init; } = Squash.All;
    /// <summary>After a restart, how long NLM serves only lock reclaims (skipped when no client held a lock).</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(45);
}

/// <summary>Everything a gateway process needs to start.</summary>
public sealed record GatewayOptions
{
    public required string StateDirectory { get; init; }
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;
    public required IReadOnlyList<ExportOptions> Exports { get; init; }
    /// <summary>Null: no NFS server.</summary>
    public NfsOptions? Nfs { get; init; } = new();
    /// <summary>Null: no SMB server (the CLI turns it on; a library user opts in).</summary>
    public SmbOptions? Smb { get; init; }
    /// <summary>Where to mount the first export through FUSE; null: no mount.</summary>
    public string? MountPoint { get; init; }
    public Action<string> Log { get; init; } = message => Console.Error.WriteLine($"gateway: {message}");
}
