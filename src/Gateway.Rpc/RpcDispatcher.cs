namespace Gateway.Rpc;

// Turns one call record into one reply record (or nothing). Connection-independent, so
// tests and benchmarks can feed it records without sockets (Garnet's embedded session).
// It owns everything generic: header parsing, authentication, program/version/procedure
// lookup, the duplicate request cache and error replies; a handler owns only
// "arguments → work → results".
public sealed class RpcDispatcher
{
    private readonly object _registerLock = new();
    private readonly Action<string>? _log;
    private Dictionary<uint, IRpcProgram> _programs = [];

    public RpcDispatcher(DuplicateRequestCache? duplicateRequestCache = null, Action<string>? log = null)
    {
        DuplicateRequestCache = duplicateRequestCache;
        _log = log;
    }

    public DuplicateRequestCache? DuplicateRequestCache { get; }

    public IReadOnlyCollection<IRpcProgram> Programs => Volatile.Read(ref _programs).Values;

    // Copy-on-write: lookups on the hot path read a dictionary that never changes.
    public void Register(IRpcProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.MinVersion > program.MaxVersion)
        {
            throw new ArgumentException($"{program.Name}: MinVersion above MaxVersion", nameof(program));
        }

        lock (_registerLock)
        {
            if (_programs.ContainsKey(program.Program))
            {
                throw new InvalidOperationException($"program {program.Program} is already registered");
            }

            var copy = new Dictionary<uint, IRpcProgram>(_programs) { [program.Program] = program };
            Volatile.Write(ref _programs, copy);
        }
    }

    // The reply record (record mark included) to send, or null when nothing is to be sent
    // (a record with no xid, a REPLY sent to us, a call abandoned by cancellation).
    // Nothing a client sends makes it throw; OperationCanceledException only when
    // cancellationToken is cancelled while a retransmission waits for the first reply.
    public ValueTask<PooledBufferWriter?> DispatchAsync(ReadOnlyMemory<byte> record, RpcConnectionInfo connection,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        PooledBufferWriter? immediate = Prepare(record.Span, connection, out PreparedCall call);
        if (call.Descriptor is null)
        {
            return ValueTask.FromResult(immediate);
        }

        ReadOnlyMemory<byte> arguments = record.Slice(call.ArgumentsOffset);
        if (DuplicateRequestCache is null || !call.Descriptor.IsNonIdempotent)
        {
            return ExecuteAsync(call, arguments, connection, cancellationToken);
        }

        return ExecuteWithCacheAsync(DuplicateRequestCache, call, arguments, connection, cancellationToken);
    }

    // Parses and checks everything that needs no handler. Returns the reply for a call
    // that ends here (error or drop = null) with call.Descriptor null; or null with
    // call.Descriptor set when the procedure is to run.
    private PooledBufferWriter? Prepare(ReadOnlySpan<byte> record, RpcConnectionInfo connection, out PreparedCall prepared)
    {
        prepared = default;
        RpcCallParseStatus status = RpcCall.TryRead(record, out RpcCall call);
        switch (status)
        {
            case RpcCallParseStatus.NoXid:
            case RpcCallParseStatus.NotACall:
                _log?.Invoke($"rpc {connection}: dropped a record that is not a call ({status}, {record.Length} bytes)");
                return null;
            case RpcCallParseStatus.RpcMismatch:
                return ReplyBuilder.RpcMismatch(call.Xid);
            case RpcCallParseStatus.GarbageHeader:
                return ReplyBuilder.Accepted(call.Xid, AcceptStat.GARBAGE_ARGS);
            case RpcCallParseStatus.BadCredential:
                return ReplyBuilder.AuthError(call.Xid, AuthStat.AUTH_BADCRED);
            case RpcCallParseStatus.BadVerifier:
                return ReplyBuilder.AuthError(call.Xid, AuthStat.AUTH_BADVERF);
        }

        AuthStat auth = Authenticate(call.Credential, call.Verifier, out RpcCredential? credential);
        if (auth != AuthStat.AUTH_OK)
        {
            return ReplyBuilder.AuthError(call.Xid, auth);
        }

        if (!Volatile.Read(ref _programs).TryGetValue(call.Program, out IRpcProgram? program))
        {
            return ReplyBuilder.Accepted(call.Xid, AcceptStat.PROG_UNAVAIL);
        }

        if (call.Version < program.MinVersion || call.Version > program.MaxVersion)
        {
            return ReplyBuilder.ProgMismatch(call.Xid, program.MinVersion, program.MaxVersion);
        }

        IReadOnlyList<ProcedureDescriptor?> table = program.GetProcedures(call.Version);
        ProcedureDescriptor? descriptor = call.Procedure < (uint)table.Count ? table[(int)call.Procedure] : null;
        if (descriptor is null)
        {
            return ReplyBuilder.Accepted(call.Xid, AcceptStat.PROC_UNAVAIL);
        }

        if ((descriptor.Flags & ProcedureFlags.NeedsCredential) != 0 && credential!.Flavor == AuthFlavor.AUTH_NONE)
        {
            return ReplyBuilder.AuthError(call.Xid, AuthStat.AUTH_TOOWEAK);
        }

        prepared = new PreparedCall(call.Xid, call.Program, call.Version, call.Procedure, descriptor, credential!,
            call.ArgumentsOffset);
        return null;
    }

    // RFC 5531 §10: AUTH_NONE has an empty body; AUTH_SYS carries authsys_parms; both are
    // sent with an AUTH_NONE verifier (Linux svcauth_null/unix_accept check the same).
    private static AuthStat Authenticate(OpaqueAuth cred, OpaqueAuth verf, out RpcCredential? credential)
    {
        credential = null;
        switch (cred.Flavor)
        {
            case AuthFlavor.AUTH_NONE:
                if (!cred.Body.IsEmpty)
                {
                    return AuthStat.AUTH_BADCRED;
                }

                credential = RpcCredential.None;
                break;
            case AuthFlavor.AUTH_SYS:
                try
                {
                    credential = RpcCredential.FromAuthSys(AuthSysParams.Read(cred.Body));
                }
                catch (XdrException)
                {
                    return AuthStat.AUTH_BADCRED;
                }

                break;
            case AuthFlavor.RPCSEC_GSS:
                // Not yet supported. RPCSEC_GSS (RFC 2203) will establish a context with
                // RPCSEC_GSS_INIT, then check the sequence window and the verifier MIC here,
                // answering RPCSEC_GSS_CREDPROBLEM / RPCSEC_GSS_CTXPROBLEM for unknown or
                // expired contexts. Until then: a flavor we do not accept.
                return AuthStat.AUTH_BADCRED;
            default:
                // Linux svc_authenticate answers an unknown flavor with AUTH_BADCRED too.
                return AuthStat.AUTH_BADCRED;
        }

        if (verf.Flavor != AuthFlavor.AUTH_NONE || !verf.Body.IsEmpty)
        {
            credential = null;
            return AuthStat.AUTH_BADVERF;
        }

        return AuthStat.AUTH_OK;
    }

    private async ValueTask<PooledBufferWriter?> ExecuteWithCacheAsync(DuplicateRequestCache cache, PreparedCall call,
        ReadOnlyMemory<byte> arguments, RpcConnectionInfo connection, CancellationToken cancellationToken)
    {
        var key = new DrcKey(connection.RemoteAddress, call.Xid, call.Program, call.Version, call.Procedure,
            DuplicateRequestCache.Checksum(arguments.Span));
        DrcStatus status = cache.Begin(key, out DrcEntry entry);
        if (status == DrcStatus.New)
        {
            PooledBufferWriter? reply = null;
            try
            {
                reply = await ExecuteAsync(call, arguments, connection, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (reply is null)
                {
                    cache.Abandon(entry);
                }
                else
                {
                    cache.Complete(entry, reply.WrittenSpan);
                }
            }

            return reply;
        }

        _log?.Invoke($"rpc {connection}: retransmission of xid {call.Xid} ({call.Descriptor!.Name}, {status}) answered from the duplicate request cache");
        byte[]? cached = await cache.WaitAsync(entry, cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            return null;
        }

        var copy = new PooledBufferWriter(cached.Length);
        cached.CopyTo(copy.GetSpan(cached.Length));
        copy.Advance(cached.Length);
        return copy;
    }

    private async ValueTask<PooledBufferWriter?> ExecuteAsync(PreparedCall call, ReadOnlyMemory<byte> arguments,
        RpcConnectionInfo connection, CancellationToken cancellationToken)
    {
        ProcedureDescriptor descriptor = call.Descriptor!;
        var context = new RpcCallContext(call.Xid, call.Program, call.Version, call.Procedure, call.Credential,
            connection, cancellationToken);
        PooledBufferWriter reply = ReplyBuilder.StartSuccess(call.Xid);
        try
        {
            await descriptor.Handler(context, arguments, reply).ConfigureAwait(false);
        }
        catch (XdrException e)
        {
            _log?.Invoke($"rpc {connection}: xid {call.Xid} {descriptor.Name}: GARBAGE_ARGS ({e.Message})");
            reply.Dispose();
            return ReplyBuilder.Accepted(call.Xid, AcceptStat.GARBAGE_ARGS);
        }
        catch (RpcAuthException e)
        {
            reply.Dispose();
            return ReplyBuilder.AuthError(call.Xid, e.Stat);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reply.Dispose();
            return null;
        }
        catch (Exception e)
        {
            _log?.Invoke($"rpc {connection}: xid {call.Xid} {descriptor.Name} failed, answering SYSTEM_ERR: {e}");
            reply.Dispose();
            return ReplyBuilder.Accepted(call.Xid, AcceptStat.SYSTEM_ERR);
        }

        ReplyBuilder.Finish(reply);
        return reply;
    }

    private readonly record struct PreparedCall(uint Xid, uint Program, uint Version, uint Procedure,
        ProcedureDescriptor? Descriptor, RpcCredential Credential, int ArgumentsOffset);
}
