namespace Gateway.Rpc;

public sealed class RpcServerOptions
{
    // Enough for an NFSv3 WRITE of 1 MiB (the largest wtmax we would advertise) plus
    // its call header, credential and file handle.
    public const int DefaultMaxRecordSize = (1024 * 1024) + (64 * 1024);

    // Largest record accepted; a fragment that would exceed it closes the connection.
    public int MaxRecordSize { get; init; } = DefaultMaxRecordSize;

    // Calls of one connection running at once. When all slots are taken the read loop
    // stops reading, and TCP flow control pushes back on the client.
    public int MaxConcurrentCallsPerConnection { get; init; } = 64;

    // New connections above this are closed at once.
    public int MaxConnections { get; init; } = 1024;

    // How long a graceful close (client half-close, StopAsync) waits for calls in flight
    // to send their replies before cancelling them.
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    // One line per event worth an operator's attention (connection errors, SYSTEM_ERR,
    // DRC hits, refused connections). Null: silent.
    public Action<string>? Log { get; init; }
}
