using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Rpc;

// ONC RPC over TCP: a listener and one RpcConnection per accepted socket, all sharing one
// dispatcher (and so one program table and one duplicate request cache).
public sealed class RpcServer : IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private const int MinimumReadSize = 16 * 1024;

    private readonly IPEndPoint _endPoint;
    private readonly RpcServerOptions _options;
    private readonly ConcurrentDictionary<long, (RpcConnection Connection, Task Run)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;

    public RpcServer(IPEndPoint endPoint, RpcDispatcher dispatcher, RpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(dispatcher);
        _endPoint = endPoint;
        Dispatcher = dispatcher;
        _options = options ?? new RpcServerOptions();
    }

    public RpcDispatcher Dispatcher { get; }

    // The bound address (with the real port when the requested port was 0); set by Start.
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint
        ?? throw new InvalidOperationException("the server is not started");

    public int Port => LocalEndPoint.Port;

    public int ConnectionCount => _connections.Count;

    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the server is already started");
        }

        var listener = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restart must not wait out TIME_WAIT on 2049/111.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (_endPoint.AddressFamily == AddressFamily.InterNetworkV6 && _endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(_endPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    // Stops accepting, asks every connection to close (calls in flight get DrainTimeout to
    // reply), and returns when all are closed. Cancelling the token aborts what is left.
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        var runs = new List<Task>();
        foreach ((RpcConnection connection, Task run) in _connections.Values)
        {
            connection.RequestClose();
            runs.Add(run);
        }

        try
        {
            await Task.WhenAll(runs).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach ((RpcConnection connection, Task _) in _connections.Values)
            {
                connection.Abort();
            }

            await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset
                or SocketError.ConnectionAborted or SocketError.Interrupted)
            {
                // The client gave up between SYN and accept: nothing to do.
                continue;
            }
            catch (SocketException e)
            {
                // Resource pressure (EMFILE, ENOBUFS): back off instead of spinning.
                _options.Log?.Invoke($"rpc: accept failed ({e.SocketErrorCode}), retrying");
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                _options.Log?.Invoke($"rpc: refusing {socket.RemoteEndPoint}: {_options.MaxConnections} connections open");
                socket.Dispose();
                continue;
            }

            Accept(socket);
        }
    }

    private void Accept(Socket socket)
    {
        socket.NoDelay = true;
        long id = Interlocked.Increment(ref _nextConnectionId);
        var info = new RpcConnectionInfo(id, socket.RemoteEndPoint, socket.LocalEndPoint);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var transport = new DuplexPipe(
            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: MinimumReadSize, leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));
        var connection = new RpcConnection(transport, Dispatcher, info, _options, abortTransport: socket.Dispose);

        // Registered before it runs, so StopAsync cannot miss it; removed when it ends.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task run = RunConnectionAsync(start.Task, connection, stream);
        _connections[id] = (connection, run);
        start.SetResult();
        if (_stopping.IsCancellationRequested)
        {
            connection.RequestClose();
        }
    }

    private async Task RunConnectionAsync(Task registered, RpcConnection connection, NetworkStream stream)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            _connections.TryRemove(connection.Id, out _);
        }
    }
}
