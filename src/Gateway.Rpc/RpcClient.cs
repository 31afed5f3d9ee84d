using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Gateway.Rpc;

// A small ONC RPC client over one stream connection: one call at a time, replies matched
// by xid (a stray reply with another xid is skipped). Enough for the portmapper and for
// the gateway's own callbacks; not a general pipelining client.
public sealed class RpcClient : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly int _maxReplySize;
    private uint _nextXid;

    public RpcClient(Stream stream, AuthSysParams? credential = null, int maxReplySize = RpcServerOptions.DefaultMaxRecordSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _maxReplySize = maxReplySize;
        Credential = credential;

        // A random first xid: a reconnecting client must not collide with its own earlier
        // xids in the server's duplicate request cache.
        _nextXid = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    }

    public AuthSysParams? Credential { get; }

    // Connects over TCP (IPEndPoint) or a Unix stream socket (UnixDomainSocketEndPoint).
    public static async Task<RpcClient> ConnectAsync(EndPoint endPoint, AuthSysParams? credential = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ProtocolType protocol = endPoint.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            if (protocol == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RpcClient(new NetworkStream(socket, ownsSocket: true), credential);
    }

    // Sends one call and returns the results of its SUCCESS reply; any other reply throws
    // RpcCallException, a malformed one XdrException, oversized framing RpcConnectionException.
    public async Task<byte[]> CallAsync(uint program, uint version, uint procedure, ReadOnlyMemory<byte> arguments,
        CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uint xid = unchecked(_nextXid++);
            using (PooledBufferWriter call = BuildCall(xid, program, version, procedure, arguments.Span))
            {
                await _stream.WriteAsync(call.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            while (true)
            {
                using PooledRecord record = await ReadRecordAsync(cancellationToken).ConfigureAwait(false);
                byte[]? results = Match(record.Span, xid);
                if (results is not null)
                {
                    return results;
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private PooledBufferWriter BuildCall(uint xid, uint program, uint version, uint procedure, ReadOnlySpan<byte> arguments)
    {
        var buffer = new PooledBufferWriter(64 + arguments.Length);
        buffer.GetSpan(RecordMarking.HeaderLength);
        buffer.Advance(RecordMarking.HeaderLength);
        var writer = new XdrWriter(buffer);
        RpcCall.WriteHeader(ref writer, xid, program, version, procedure, Credential);
        arguments.CopyTo(buffer.GetSpan(arguments.Length));
        buffer.Advance(arguments.Length);
        RecordMarking.WriteHeader(buffer.WrittenSpan, buffer.WrittenCount - RecordMarking.HeaderLength);
        return buffer;
    }

    // The results of the reply to xid, null for a reply to another xid.
    private static byte[]? Match(ReadOnlySpan<byte> record, uint xid)
    {
        RpcReplyHeader reply = RpcReplyHeader.Read(record);
        if (reply.Xid != xid)
        {
            return null;
        }

        if (!reply.IsSuccess)
        {
            throw new RpcCallException(reply.ReplyStat, reply.AcceptStat, reply.RejectStat, reply.AuthStat,
                reply.MismatchLow, reply.MismatchHigh);
        }

        return reply.Results.ToArray();
    }

    private async ValueTask<PooledRecord> ReadRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool complete = false;
            try
            {
                complete = RecordMarking.TryReadRecord(ref buffer, _maxReplySize, out PooledRecord record);
                if (complete)
                {
                    return record;
                }
            }
            finally
            {
                // After a record, examined = consumed: a second reply may already be buffered
                // and the next ReadAsync must not wait for new bytes to see it.
                _input.AdvanceTo(buffer.Start, complete ? buffer.Start : buffer.End);
            }

            if (result.IsCompleted)
            {
                throw new IOException("the server closed the connection before replying");
            }
        }
    }
}
