using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gateway.Smb.Server;

namespace Gateway.Smb;

/// <summary>
/// The SMB2/3 server: accepts direct-TCP connections (RFC 1002 session messages without NetBIOS
/// session setup, as on port 445) and runs one <see cref="SmbConnection"/> per client.
/// </summary>
public sealed class SmbServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, SmbConnection> _connections = new();
    private readonly Task _acceptLoop;
    private long _nextConnectionId;

    private SmbServer(Socket listener, SmbServerOptions options)
    {
        _listener = listener;
        Options = options;
        Shares = new SmbShareTable(options.Shares);
        StartTime = DateTime.UtcNow.ToFileTimeUtc();
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Binds and starts accepting; SocketException when the port is taken.</summary>
    public static SmbServer Start(IPEndPoint endpoint, SmbServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxIo < 65536)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxIo must be at least 64 KiB");
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new SmbServer(listener, options);
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    internal SmbServerOptions Options { get; }

    internal SmbShareTable Shares { get; }

    internal NodeOpenTable NodeOpens { get; } = new();

    internal long StartTime { get; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Transient (the peer reset before we accepted, descriptors short): keep serving.
                Options.Log($"smb: accept failed: {e.SocketErrorCode}");
                try
                {
                    await Task.Delay(50, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new SmbConnection(this, client, id);
            _connections[id] = connection;
            _ = RunConnectionAsync(connection);
        }
    }

    private async Task RunConnectionAsync(SmbConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Options.Log($"smb: connection {connection.Id} ended with {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The loop ends on the disposed listener; nothing left to do.
        }
        var tasks = new List<Task>();
        foreach (var c in _connections.Values)
            tasks.Add(c.CloseAsync());
        await Task.WhenAll(tasks).ConfigureAwait(false);
        _stop.Dispose();
    }
}
