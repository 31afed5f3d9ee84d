using System.Net;

namespace Gateway.Host;

/// <summary>One exported directory and how it is served.</summary>
public sealed record ExportOptions
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public bool ReadOnly { get; init; }
    public bool WatchExternalChanges { get; init; } = true;
}

/// <summary>Everything a gateway process needs to start.</summary>
public sealed record GatewayOptions
{
    public required string StateDirectory { get; init; }
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;
    public required IReadOnlyList<ExportOptions> Exports { get; init; }
}
