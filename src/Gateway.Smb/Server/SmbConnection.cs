using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gateway.Smb.Commands;
using Gateway.Smb.Protocol;
using Gateway.Smb.Security;

namespace Gateway.Smb.Server;

// One client connection (MS-SMB2 3.3.1.7). The read loop has the RpcConnection shape:
//
//   loop: result = await input.ReadAsync(); while (a whole 4-byte-framed message is buffered) → take it
//         finally: input.AdvanceTo(consumed, examined)
//
// Taking a message is synchronous and in arrival order: decrypt (transform header), split the
// compound chain, check every member's MessageId against the credit window, handle CANCEL, and
// register the requests so a later CANCEL finds them. Execution then runs on the thread pool, so
// many requests of one connection run at once and complete out of order (clients match responses
// by MessageId). Responses are written whole, under one send lock. Two error levels: a bad request
// gets an error response; bad framing, a MessageId outside the window or a failed decryption drops
// the connection (what Windows does).
internal sealed partial class SmbConnection
{
    private const int FrameHeader = 4;

    // GATEWAY_SMB_TRACE=1 logs every failed command (status, command, MessageId): for interop debugging.
    private static readonly bool Trace = Environment.GetEnvironmentVariable("GATEWAY_SMB_TRACE") == "1";
    private const int Headroom = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<ulong, SmbRequest> _byMessageId = new();
    private readonly ConcurrentDictionary<ulong, SmbRequest> _byAsyncId = new();
    private readonly int _maxMessage;
    private int _closed;
    private long _nextAsyncId;

    public SmbConnection(SmbServer server, Socket socket, long id)
    {
        Server = server;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Id = id;
        _maxMessage = server.Options.MaxIo + Headroom;
    }

    public long Id { get; }
    public SmbServer Server { get; }
    public Credits Credits { get; } = new();
    public ConcurrentDictionary<ulong, SmbSession> Sessions { get; } = new();

    // Sessions logged off recently: a later request naming one still gets its
    // STATUS_USER_SESSION_DELETED signed, which clients that required signing insist on.
    private readonly ConcurrentQueue<SmbSession> _retired = new();

    public void Retire(SmbSession session)
    {
        _retired.Enqueue(session);
        while (_retired.Count > 16 && _retired.TryDequeue(out _))
        {
        }
    }

    private SmbSession? FindRetired(ulong id)
    {
        foreach (var s in _retired)
            if (s.Id == id)
                return s;
        return null;
    }

    // Negotiated state (written once by NEGOTIATE, read by everything after it).
    public bool Negotiated { get; set; }
    public SmbDialect Dialect { get; set; }
    public bool WildcardNegotiated { get; set; }
    public Guid ClientGuid { get; set; }
    public uint ClientCapabilities { get; set; }
    public ushort ClientSecurityMode { get; set; }
    public ushort[] ClientDialects { get; set; } = [];
    public uint ServerCapabilities { get; set; }
    public ushort ServerSecurityMode { get; set; }
    public CipherId? Cipher { get; set; }
    public SigningAlgorithm SigningAlgorithm { get; set; } = SigningAlgorithm.HmacSha256;
    public PreauthHash? Preauth { get; set; }
    public bool LargeMtu => Negotiated && Dialect != SmbDialect.Smb202;
    public bool SupportsEncryption => Cipher is not null;

    private void Log(string message) => Server.Options.Log($"smb[{Id}]: {message}");

    public async Task RunAsync()
    {
        var input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 256 * 1024, minimumReadSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var keep = true;
                try
                {
                    while (keep && TryFrame(ref buffer, out var message))
                        keep = OnMessage(message);
                    if (keep && FrameTooLarge(buffer))
                    {
                        Log("message larger than the negotiated maximum; disconnecting");
                        keep = false;
                    }
                    if (result.IsCompleted)
                        keep = false;
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (!keep)
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            Log($"closing after an unexpected error: {e}");
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private bool FrameTooLarge(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < FrameHeader)
            return false;
        Span<byte> h = stackalloc byte[FrameHeader];
        buffer.Slice(0, FrameHeader).CopyTo(h);
        return h[0] != 0 || ((h[1] << 16) | (h[2] << 8) | h[3]) > _maxMessage;
    }

    // RFC 1002 session message as MS-SMB2 2.1 uses it: a zero byte, then a 24-bit big-endian length.
    // Too large a length is left in the buffer for FrameTooLarge to report.
    private bool TryFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message)
    {
        message = default;
        if (buffer.Length < FrameHeader)
            return false;
        Span<byte> h = stackalloc byte[FrameHeader];
        buffer.Slice(0, FrameHeader).CopyTo(h);
        var length = (h[1] << 16) | (h[2] << 8) | h[3];
        if (h[0] != 0 || length > _maxMessage)
            return false;
        if (buffer.Length < FrameHeader + length)
            return false;
        message = buffer.Slice(FrameHeader, length);
        buffer = buffer.Slice(FrameHeader + length);
        return true;
    }

    /// <summary>False: drop the connection.</summary>
    private bool OnMessage(ReadOnlySequence<byte> payload)
    {
        var length = (int)payload.Length;
        if (length < 4)
            return false;
        var buf = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(buf);
        var handedOff = false;
        try
        {
            var protocol = Wire.U32(buf, 0);
            if (protocol == Smb2Header.Smb1ProtocolId)
                return Negotiated ? false : Smb1Negotiate.Handle(this, buf.AsSpan(0, length));
            if (protocol == Smb2Header.TransformProtocolId)
            {
                if (!Decrypt(buf, length, out var plain, out var plainLength, out var sessionId))
                {
                    Log("undecryptable transform message; disconnecting");
                    return false;
                }
                ArrayPool<byte>.Shared.Return(buf);
                buf = plain;
                length = plainLength;
                handedOff = Prepare(buf, length, encrypted: true, sessionId, out var ok);
                return ok;
            }
            if (protocol != Smb2Header.ProtocolId)
                return false;
            handedOff = Prepare(buf, length, encrypted: false, 0, out var ok2);
            return ok2;
        }
        finally
        {
            if (!handedOff)
                ArrayPool<byte>.Shared.Return(buf);
        }
    }

    private bool Decrypt(byte[] buf, int length, out byte[] plain, out int plainLength, out ulong sessionId)
    {
        plain = [];
        plainLength = 0;
        if (!SmbCipher.TryReadHeader(buf.AsSpan(0, length), out sessionId, out var original)
            || original < Smb2Header.Size || original > length
            || !Sessions.TryGetValue(sessionId, out var session) || session.Decryptor is null)
            return false;
        var target = ArrayPool<byte>.Shared.Rent(original);
        bool ok;
        lock (session.Decryptor)
            ok = session.Decryptor.TryDecrypt(buf.AsSpan(0, length), target, out plainLength);
        if (!ok || plainLength < Smb2Header.Size || Wire.U32(target, 0) != Smb2Header.ProtocolId)
        {
            ArrayPool<byte>.Shared.Return(target);
            return false;
        }
        plain = target;
        return true;
    }

    /// <summary>Splits the chain, checks credits, handles CANCEL; true when <paramref name="buf"/> was handed to execution.</summary>
    private bool Prepare(byte[] buf, int length, bool encrypted, ulong encryptedSession, out bool keep)
    {
        keep = false;
        var requests = new List<SmbRequest>(1);
        var offset = 0;
        while (true)
        {
            var rest = length - offset;
            if (rest < Smb2Header.Size || !Smb2Header.TryRead(buf.AsSpan(offset, rest), out var header))
            {
                Log("malformed SMB2 header; disconnecting");
                return false;
            }
            var next = header.NextCommand;
            if (next != 0 && (next % 8 != 0 || next < Smb2Header.Size || next > (uint)rest))
            {
                Log($"bad NextCommand {next}; disconnecting");
                return false;
            }
            var memberLength = next == 0 ? rest : (int)next;
            if (header.Command == Smb2Command.Cancel)
            {
                Cancel(header);
            }
            else
            {
                var charge = LargeMtu ? Math.Max((int)header.CreditCharge, 1) : 1;
                if (!Credits.TryConsume(header.MessageId, charge))
                {
                    Log($"MessageId {header.MessageId} (charge {charge}) outside the credit window or reused; disconnecting");
                    return false;
                }
                if (encrypted && header.SessionId != encryptedSession && !header.IsRelated)
                {
                    Log("encrypted request for another session; disconnecting");
                    return false;
                }
                requests.Add(new SmbRequest(this, header, buf.AsMemory(offset, memberLength), encrypted));
            }
            if (next == 0)
                break;
            offset += (int)next;
        }
        keep = true;
        if (requests.Count == 0)
            return false;
        foreach (var r in requests)
            _byMessageId[r.Header.MessageId] = r;
        var state = (Connection: this, Buffer: buf, Requests: requests, Encrypted: encrypted);
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Connection.ExecuteAsync(s.Buffer, s.Requests, s.Encrypted), state, preferLocal: false);
        return true;
    }

    private void Cancel(in Smb2Header header)
    {
        // CANCEL consumes no credit and gets no response (MS-SMB2 3.3.5.16).
        SmbRequest? target;
        if (header.IsAsync)
            _byAsyncId.TryGetValue(header.AsyncId, out target);
        else
            _byMessageId.TryGetValue(header.MessageId, out target);
        if (target is not null && target.Header.SessionId == header.SessionId)
        {
            try
            {
                target.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public ulong RegisterAsync(SmbRequest request)
    {
        var id = (ulong)Interlocked.Increment(ref _nextAsyncId);
        _byAsyncId[id] = request;
        return id;
    }

    private async Task ExecuteAsync(byte[] buffer, List<SmbRequest> requests, bool encrypted)
    {
        var responses = new List<SmbResponse>(requests.Count);
        var unsentRequests = new List<SmbRequest>(requests.Count);
        try
        {
            SmbRequest? previous = null;
            uint? createError = null;
            var noSession = false;
            (ulong, ulong)? fileId = null;
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                SmbResponse response;
                if (request.Header.IsRelated)
                {
                    if (previous is null)
                    {
                        response = SmbResponse.Error(NtStatus.InvalidParameter);
                        responses.Add(response);
                        unsentRequests.Add(request);
                        previous = request;
                        createError = response.Status;
                        continue;
                    }
                    request.SessionId = previous.ResponseSessionId ?? previous.SessionId;
                    request.TreeId = previous.ResponseTreeId ?? previous.TreeId;
                    request.InheritedFileId = fileId;
                    // MS-SMB2 3.3.5.2.7.2: a related request after a failed CREATE fails the same way
                    // (there is no handle to inherit). A failure of any other member does not carry
                    // over: a WRITE denied on a read-only handle leaves the READ after it working
                    // (Windows and Samba; smbtorture smb2.compound.related6).
                    // The member before found no session (a bogus SessionId): there is none to inherit,
                    // which Windows and Samba answer with STATUS_INVALID_PARAMETER (smb2.compound.invalid2).
                    if (createError is not null || noSession)
                    {
                        response = SmbResponse.Error(noSession ? NtStatus.InvalidParameter : createError!.Value);
                        responses.Add(response);
                        unsentRequests.Add(request);
                        previous = request;
                        continue;
                    }
                }
                else
                {
                    fileId = null;
                    createError = null;
                }
                request.Unsent = (unsentRequests, responses);
                request.HasFollowers = i < requests.Count - 1;
                response = await ExecuteOneAsync(request).ConfigureAwait(false);
                if (request.AbandonedInCompound)
                {
                    response.Dispose();
                    response = SmbResponse.Error(NtStatus.InternalError);
                }
                if (Trace && NtStatus.IsError(response.Status))
                    Log($"{request.Header.Command} #{request.Header.MessageId} -> 0x{response.Status:X8}");
                if (response.CreatedFileId is { } created)
                    fileId = created;
                else if (request.InheritedFileId is null && TryFileIdOf(request, out var used))
                    fileId = used;
                responses.Add(response);
                unsentRequests.Add(request);
                previous = request;
                if (request.Header.Command == Smb2Command.Create && NtStatus.IsError(response.Status))
                    createError = response.Status;
                noSession = response.Status == NtStatus.UserSessionDeleted;
            }
            if (responses.Count > 0)
                await SendAsync(unsentRequests, responses, encrypted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort();
        }
        catch (Exception e)
        {
            Log($"request failed with an unexpected error, disconnecting: {e}");
            Abort();
        }
        finally
        {
            foreach (var r in requests)
            {
                _byMessageId.TryRemove(new KeyValuePair<ulong, SmbRequest>(r.Header.MessageId, r));
                if (r.IsAsync)
                    _byAsyncId.TryRemove(r.AsyncId, out _);
                r.Cancellation.Dispose();
            }
            foreach (var r in responses)
                r.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // An unrelated compound member that names a FileId passes it on to related ones after it.
    private static bool TryFileIdOf(SmbRequest request, out (ulong, ulong) id)
    {
        id = default;
        var at = request.Header.Command switch
        {
            Smb2Command.Close or Smb2Command.Flush => 8,
            Smb2Command.Read or Smb2Command.Write => 16,
            Smb2Command.Lock or Smb2Command.ChangeNotify or Smb2Command.Ioctl or Smb2Command.QueryDirectory => 8,
            Smb2Command.QueryInfo => 24,
            Smb2Command.SetInfo => 16,
            _ => -1,
        };
        var body = request.Body;
        if (at < 0 || body.Length < at + 16)
            return false;
        id = (Wire.U64(body, at), Wire.U64(body, at + 8));
        return id.Item1 != SmbRequest.RelatedFileId;
    }

    private async ValueTask<SmbResponse> ExecuteOneAsync(SmbRequest request)
    {
        var h = request.Header;
        if (!Negotiated && h.Command != Smb2Command.Negotiate)
        {
            Abort();
            return SmbResponse.Error(NtStatus.InvalidParameter);
        }
        try
        {
            switch (h.Command)
            {
                case Smb2Command.Negotiate:
                    return NegotiateCommand.Handle(request);
                case Smb2Command.SessionSetup:
                    return SessionSetupCommand.Handle(request);
                case Smb2Command.Echo when request.SessionId == 0:
                    return EchoCommand.Handle(request);
            }
            var status = CheckSession(request);
            if (status != NtStatus.Success)
                return SmbResponse.Error(status);
            switch (h.Command)
            {
                case Smb2Command.Logoff:
                    return LogoffCommand.Handle(request);
                case Smb2Command.Echo:
                    return EchoCommand.Handle(request);
                case Smb2Command.TreeConnect:
                    return TreeConnectCommand.Handle(request);
            }
            status = CheckTree(request);
            if (status != NtStatus.Success)
                return SmbResponse.Error(status);
            return h.Command switch
            {
                Smb2Command.TreeDisconnect => TreeDisconnectCommand.Handle(request),
                Smb2Command.Create => CreateCommand.Handle(request),
                Smb2Command.Close => CloseCommand.Handle(request),
                Smb2Command.Flush => await FlushCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.Read => await ReadCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.Write => await WriteCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.Lock => await LockCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.Ioctl => await IoctlCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.QueryDirectory => QueryDirectoryCommand.Handle(request),
                Smb2Command.ChangeNotify => await ChangeNotifyCommand.HandleAsync(request).ConfigureAwait(false),
                Smb2Command.QueryInfo => QueryInfoCommand.Handle(request),
                Smb2Command.SetInfo => SetInfoCommand.Handle(request),
                Smb2Command.OplockBreak => SmbResponse.Error(NtStatus.InvalidDeviceRequest),
                _ => SmbResponse.Error(NtStatus.InvalidParameter),
            };
        }
        catch (MalformedRequestException)
        {
            return SmbResponse.Error(NtStatus.InvalidParameter);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            // A span slice past a short body: the request was shorter than its StructureSize says.
            return SmbResponse.Error(NtStatus.InvalidParameter);
        }
    }

    /// <summary>Session lookup, signature verification and the encryption rule (MS-SMB2 3.3.5.2.9, 3.3.5.2.4).</summary>
    private uint CheckSession(SmbRequest request)
    {
        if (!Sessions.TryGetValue(request.SessionId, out var session) || session.State != SessionState.Valid)
            return NtStatus.UserSessionDeleted;
        request.Session = session;
        if (!request.Encrypted)
        {
            if (request.Header.IsSigned)
            {
                if (session.Signer is null || !session.Signer.Verify(request.Message.Span))
                    return NtStatus.AccessDenied;
            }
            else if (session.SigningRequired)
            {
                return NtStatus.AccessDenied;
            }
            if (session.EncryptData)
                return NtStatus.AccessDenied;
        }
        return NtStatus.Success;
    }

    private static uint CheckTree(SmbRequest request)
    {
        if (request.Session is null || !request.Session.Trees.TryGetValue(request.TreeId, out var tree))
            return NtStatus.NetworkNameDeleted;
        request.Tree = tree;
        if (tree.EncryptData && !request.Encrypted)
            return NtStatus.AccessDenied;
        return NtStatus.Success;
    }

    /// <summary>
    /// The STATUS_PENDING interim response. In a compound, the responses of the members before this one
    /// go out with it (as Windows does), so the client is not kept waiting for them.
    /// </summary>
    public async ValueTask SendInterimAsync(SmbRequest request)
    {
        var interim = SmbResponse.Error(NtStatus.Pending);
        if (request.Unsent is not var (earlierRequests, earlierResponses) || earlierResponses.Count == 0)
        {
            await SendAsync([request], [interim], request.Encrypted, interimOnly: true).ConfigureAwait(false);
            return;
        }
        var sendRequests = new List<SmbRequest>(earlierRequests) { request };
        var sendResponses = new List<SmbResponse>(earlierResponses) { interim };
        earlierRequests.Clear();
        earlierResponses.Clear();
        try
        {
            await SendAsync(sendRequests, sendResponses, request.Encrypted).ConfigureAwait(false);
        }
        finally
        {
            foreach (var r in sendResponses)
                r.Dispose();
        }
    }

    private async ValueTask SendAsync(List<SmbRequest> requests, List<SmbResponse> responses, bool encrypted, bool interimOnly = false)
    {
        // Compound responses: each member padded to 8 bytes, NextCommand chained, each signed on its own.
        var total = 0;
        var visible = 0;
        for (var i = 0; i < responses.Count; i++)
        {
            if (responses[i].Suppress)
                continue;
            visible++;
        }
        if (visible == 0)
        {
            if (interimOnly)
                responses[0].Dispose();
            return;
        }
        var lengths = new int[responses.Count];
        var seen = 0;
        for (var i = 0; i < responses.Count; i++)
        {
            if (responses[i].Suppress)
                continue;
            seen++;
            var len = responses[i].MessageLength;
            if (seen < visible)
                len = (len + 7) & ~7;
            lengths[i] = len;
            total += len;
        }
        SmbSession? encryptFor = null;
        var rented = ArrayPool<byte>.Shared.Rent(FrameHeader + SmbCipher.TransformHeaderSize + total);
        try
        {
            var plain = rented.AsSpan(FrameHeader + SmbCipher.TransformHeaderSize, total);
            var at = 0;
            seen = 0;
            for (var i = 0; i < responses.Count; i++)
            {
                var response = responses[i];
                if (response.Suppress)
                    continue;
                seen++;
                var request = requests[i];
                var message = response.Buffer.AsSpan(0, lengths[i]);
                WriteHeader(request, response, message, interimOnly || (request.IsAsync && response.Status == NtStatus.Pending), last: seen == visible, lengths[i]);
                var session = response.SignWith ?? request.Session ?? FindSession(request.ResponseSessionId ?? request.SessionId)
                    ?? (response.Status == NtStatus.UserSessionDeleted ? FindRetired(request.SessionId) : null);
                if (session is not null && (encrypted || session.EncryptData) && session.Encryptor is not null)
                    encryptFor ??= session;
                else if (ShouldSign(request, response, session))
                    session!.Signer!.Sign(message);
                response.OnSent?.Invoke(message[..response.MessageLength]);
                message.CopyTo(plain[at..]);
                at += lengths[i];
            }
            int frameLength;
            if (encryptFor is not null)
            {
                var dest = rented.AsSpan(FrameHeader, SmbCipher.TransformHeaderSize + total);
                // Encrypt copies from plain (which sits inside dest's tail) first; use a separate copy.
                var copy = ArrayPool<byte>.Shared.Rent(total);
                try
                {
                    plain.CopyTo(copy);
                    lock (encryptFor.Encryptor!)
                        encryptFor.Encryptor.Encrypt(copy.AsSpan(0, total), encryptFor.Id, dest);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
                frameLength = SmbCipher.TransformHeaderSize + total;
            }
            else
            {
                // Move the plain message right after the frame header.
                plain.CopyTo(rented.AsSpan(FrameHeader));
                frameLength = total;
            }
            rented[0] = 0;
            rented[1] = (byte)(frameLength >> 16);
            rented[2] = (byte)(frameLength >> 8);
            rented[3] = (byte)frameLength;
            await _send.WaitAsync(_closing.Token).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(rented.AsMemory(0, FrameHeader + frameLength), _closing.Token).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            if (interimOnly)
                responses[0].Dispose();
        }
    }

    private SmbSession? FindSession(ulong id) => id != 0 && Sessions.TryGetValue(id, out var s) ? s : null;

    private static bool ShouldSign(SmbRequest request, SmbResponse response, SmbSession? session)
    {
        if (response.NeverSign || session?.Signer is null)
            return false;
        if (response.SignWith is not null)
            return true;
        if (session.State != SessionState.Valid)
            return false;
        // MS-SMB2 3.3.4.1.1: sign when the request was signed or the session requires signing.
        return request.Header.IsSigned || session.SigningRequired;
    }

    private void WriteHeader(SmbRequest request, SmbResponse response, Span<byte> message, bool interim, bool last, int paddedLength)
    {
        var h = request.Header;
        uint flags = 0;
        // An async final response travels alone: it is no longer part of the compound.
        if (h.IsRelated && !(request.IsAsync && !interim))
            flags |= Smb2Header.FlagRelated;
        if (request.IsAsync)
            flags |= Smb2Header.FlagAsync;
        ushort credits;
        if (request.IsAsync && !interim)
            credits = 0; // granted with the interim response
        else
            credits = Credits.Grant(h.CreditRequest, atLeastOne: true);
        if (h.Command == Smb2Command.Negotiate && h.MessageId == 0 && credits == 0)
            credits = 1;
        Smb2Header.WriteResponse(message, h.Command, response.Status, h.CreditCharge, credits, flags, h.MessageId,
            request.AsyncId, h.ProcessId, request.ResponseTreeId ?? request.TreeId, request.ResponseSessionId ?? request.SessionId);
        if (!last)
            Smb2Header.SetNextCommand(message, (uint)paddedLength);
        // Padding bytes must be zero (they are signed).
        message[response.MessageLength..paddedLength].Clear();
    }

    /// <summary>Sends a pre-built message (the SMB1 negotiate answer): no signing, no encryption.</summary>
    public void SendRaw(ReadOnlySpan<byte> message)
    {
        var rented = ArrayPool<byte>.Shared.Rent(FrameHeader + message.Length);
        try
        {
            rented[0] = 0;
            rented[1] = (byte)(message.Length >> 16);
            rented[2] = (byte)(message.Length >> 8);
            rented[3] = (byte)message.Length;
            message.CopyTo(rented.AsSpan(FrameHeader));
            _send.Wait();
            try
            {
                _stream.Write(rented, 0, FrameHeader + message.Length);
            }
            finally
            {
                _send.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Abort()
    {
        if (!_closing.IsCancellationRequested)
        {
            try
            {
                _closing.Cancel();
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Drops the connection and releases every open, lock and share reservation it holds.</summary>
    public Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return Task.CompletedTask;
        Abort();
        foreach (var request in _byMessageId.Values)
        {
            try
            {
                request.Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        foreach (var session in Sessions.Values)
            SessionCleanup.Logoff(Server, session);
        Sessions.Clear();
        _stream.Dispose();
        return Task.CompletedTask;
    }

    public static ulong NewId()
    {
        Span<byte> b = stackalloc byte[8];
        ulong v;
        do
        {
            RandomNumberGenerator.Fill(b);
            v = BitConverter.ToUInt64(b);
        } while (v == 0 || v == ulong.MaxValue);
        return v;
    }
}
