using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Gateway.Rpc;

// One RPC client connection. The read loop has Kestrel's Http2Connection shape:
//
//   loop: result = await input.ReadAsync(); buffer = result.Buffer
//         while (RecordMarking.TryReadRecord(ref buffer, max, out record))  → start the call
//         finally: input.AdvanceTo(buffer.Start, buffer.End)   (consumed, examined)
//
// Each record is copied to a pooled buffer and its call runs on the thread pool, so many
// calls of one connection run at once and their replies go out in completion order, not
// arrival order (clients match replies by xid). Replies are written whole, one at a time,
// under one writer lock. Two error levels: a bad call is answered by the dispatcher and
// the connection goes on; bad framing (RpcConnectionException) closes this connection only.
public sealed class RpcConnection
{
    private readonly IDuplexPipe _transport;
    private readonly RpcDispatcher _dispatcher;
    private readonly RpcServerOptions _options;
    private readonly Action? _abortTransport;
    private readonly SemaphoreSlim _callSlots;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _callsAborted = new();
    private readonly TaskCompletionSource _callsDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Calls in flight, plus one held by the read loop until it ends; zero = all done.
    private int _pending = 1;
    private int _aborted;

    // abortTransport tears down what the pipes sit on (the socket), so that a blocked
    // read or write ends at once when the connection is aborted.
    public RpcConnection(IDuplexPipe transport, RpcDispatcher dispatcher, RpcConnectionInfo info,
        RpcServerOptions? options = null, Action? abortTransport = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(info);
        _transport = transport;
        _dispatcher = dispatcher;
        _options = options ?? new RpcServerOptions();
        _abortTransport = abortTransport;
        _callSlots = new SemaphoreSlim(_options.MaxConcurrentCallsPerConnection, _options.MaxConcurrentCallsPerConnection);
        Info = info;
    }

    public RpcConnectionInfo Info { get; }

    public long Id => Info.Id;

    // Runs until the client closes, a connection-level error, Abort or RequestClose.
    // Never throws.
    public async Task RunAsync()
    {
        PipeReader input = _transport.Input;
        try
        {
            bool reading = true;
            while (reading)
            {
                ReadResult result = await input.ReadAsync(_stopReading.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (RecordMarking.TryReadRecord(ref buffer, _options.MaxRecordSize, out PooledRecord record))
                    {
                        if (!await TryTakeSlotAsync(record).ConfigureAwait(false))
                        {
                            reading = false;
                            break;
                        }

                        StartCall(record);
                    }

                    if (result.IsCompleted || result.IsCanceled)
                    {
                        if (!buffer.IsEmpty && result.IsCompleted)
                        {
                            Log($"closed by the client in the middle of a record ({buffer.Length} bytes left)");
                        }

                        reading = false;
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (RpcConnectionException e)
        {
            Log($"closing: {e.Message}");
            Abort();
        }
        catch (OperationCanceledException)
        {
            // RequestClose or Abort.
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            Abort();
        }
        catch (Exception e)
        {
            Log($"closing after an unexpected error: {e}");
            Abort();
        }

        await FinishAsync().ConfigureAwait(false);
    }

    // Graceful close: stop reading new calls; calls in flight may still send their
    // replies for up to DrainTimeout.
    public void RequestClose() => _stopReading.Cancel();

    // Immediate close: calls in flight are cancelled and their replies dropped.
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _stopReading.Cancel();
        _callsAborted.Cancel();
        try
        {
            _abortTransport?.Invoke();
        }
        catch (Exception e)
        {
            Log($"aborting the transport failed: {e.Message}");
        }
    }

    private async ValueTask<bool> TryTakeSlotAsync(PooledRecord record)
    {
        try
        {
            await _callSlots.WaitAsync(_stopReading.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            record.Dispose();
            return false;
        }
    }

    private void StartCall(PooledRecord record)
    {
        Interlocked.Increment(ref _pending);
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => _ = state.Connection.ProcessCallAsync(state.Record),
            (Connection: this, Record: record),
            preferLocal: false);
    }

    private async Task ProcessCallAsync(PooledRecord record)
    {
        try
        {
            PooledBufferWriter? reply = await _dispatcher.DispatchAsync(record.Memory, Info, _callsAborted.Token)
                .ConfigureAwait(false);
            if (reply is not null)
            {
                using (reply)
                {
                    await SendAsync(reply.WrittenMemory).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Aborted: the reply has nowhere to go.
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            Abort();
        }
        catch (Exception e)
        {
            Log($"sending a reply failed, closing: {e.Message}");
            Abort();
        }
        finally
        {
            record.Dispose();
            _callSlots.Release();
            ReleasePending();
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> reply)
    {
        await _writeLock.WaitAsync(_callsAborted.Token).ConfigureAwait(false);
        try
        {
            await _transport.Output.WriteAsync(reply, _callsAborted.Token).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task FinishAsync()
    {
        ReleasePending();
        if (Volatile.Read(ref _aborted) == 0)
        {
            try
            {
                await _callsDone.Task.WaitAsync(_options.DrainTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log($"calls still running after {_options.DrainTimeout.TotalSeconds:0.#} s; cancelling them");
            }
        }

        // Stragglers (and their sends) are cancelled; their replies would go nowhere.
        _callsAborted.Cancel();
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionGone(e))
        {
            // Already torn down by Abort.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ReleasePending()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _callsDone.TrySetResult();
        }
    }

    private void Log(string message) => _options.Log?.Invoke($"rpc {Info}: {message}");

    private static bool IsConnectionGone(Exception e) => e switch
    {
        SocketException => true,
        IOException { InnerException: SocketException } => true,
        ObjectDisposedException => true,
        _ => false,
    };
}
