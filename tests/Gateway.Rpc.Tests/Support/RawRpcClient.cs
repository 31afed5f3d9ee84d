using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Rpc.Tests.Support;

// A test client that sends raw bytes and reads raw reply records, so tests can pipeline
// calls, send garbage and see exactly what comes back.
internal sealed class RawRpcClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;

    private RawRpcClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public static async Task<RawRpcClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawRpcClient(socket);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    // The next reply record (mark removed), or null when the server closed the connection.
    public async Task<byte[]?> ReadRecordAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no reply within {timeout.TotalMilliseconds} ms");
            }
            catch (IOException)
            {
                return null; // reset by the server
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            if (RecordMarking.TryReadRecord(ref buffer, 1 << 24, out PooledRecord record))
            {
                // Examined only up to the record: more may already be buffered.
                _input.AdvanceTo(buffer.Start);
                using (record)
                {
                    return record.Span.ToArray();
                }
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    public async Task<byte[]> ReadReplyAsync(double timeoutSeconds = 10) =>
        await ReadRecordAsync(TimeSpan.FromSeconds(timeoutSeconds))
        ?? throw new IOException("the server closed the connection");

    // Reads until the server closes; true if it did within the timeout.
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await ReadRecordAsync(deadline - DateTime.UtcNow) is null)
                {
                    return true;
                }
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
