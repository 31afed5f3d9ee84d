using System.Collections.Concurrent;
using System.Net;
using Gateway.Nfs.Nlm.Xdr;
using Gateway.Rpc;

namespace Gateway.Nfs.Nlm;

internal enum GrantOutcome
{
    /// <summary>The client took the lock (GRANTED answered NLM4_GRANTED, or GRANTED_MSG was received).</summary>
    Delivered,
    /// <summary>The client answered that it no longer wants it.</summary>
    Refused,
    /// <summary>Every attempt failed: the client is gone or unreachable.</summary>
    Undeliverable,
    /// <summary>The gateway is stopping.</summary>
    Stopped,
}

/// <summary>
/// The calls NLM makes to clients' NLM services: GRANTED / GRANTED_MSG for blocked locks that have
/// been granted, and the _RES answers of the _MSG procedures. Every call is its own TCP connection
/// (they are rare), bounded by <see cref="NlmOptions.CallbackTimeout"/>.
/// </summary>
internal sealed class NlmCallbacks
{
    private readonly ICallbackResolver _resolver;
    private readonly NlmOptions _options;
    private readonly Action<string>? _log;
    private readonly CancellationToken _stopping;
    private readonly AuthSysParams _credential;
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    public NlmCallbacks(ICallbackResolver resolver, NlmOptions options, Action<string>? log, CancellationToken stopping)
    {
        _resolver = resolver;
        _options = options;
        _log = log;
        _stopping = stopping;
        _credential = RpcCallback.Credential(options.HostName ?? Environment.MachineName);
    }

    /// <summary>Completes when every _RES call started so far has ended (tests, shutdown).</summary>
    public Task Idle => Task.WhenAll(_inFlight.Keys);

    /// <summary>Sends a _RES call (one attempt; the client retransmits its _MSG if it hears nothing).</summary>
    public void SendResult(IPAddress? client, Nlm4Procedure procedure, byte[] arguments)
    {
        var task = SendResultAsync(client, procedure, arguments);
        _inFlight.TryAdd(task, 0);
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SendResultAsync(IPAddress? client, Nlm4Procedure procedure, byte[] arguments)
    {
        await Task.Yield(); // the _MSG reply goes out first
        if (client is null)
        {
            _log?.Invoke($"nlm {procedure}: the caller has no IP address to answer");
            return;
        }
        try
        {
            await CallAsync(client, procedure, arguments).ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _log?.Invoke($"nlm {procedure} to {client} not delivered: {e.Message}");
        }
        catch (Exception)
        {
            // stopping: nothing more to say to anyone
        }
    }

    /// <summary>GRANTED (or GRANTED_MSG for a client that asked with LOCK_MSG), retried as configured.</summary>
    public async Task<GrantOutcome> SendGrantedAsync(IPAddress? client, Nlm4TestArgs args, bool viaMessage)
    {
        if (client is null) return GrantOutcome.Undeliverable;
        var procedure = viaMessage ? Nlm4Procedure.GRANTED_MSG : Nlm4Procedure.GRANTED;
        var bytes = Encode(args);
        var attempts = Math.Max(1, _options.GrantedAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                var results = await CallAsync(client, procedure, bytes).ConfigureAwait(false);
                if (viaMessage) return GrantOutcome.Delivered;
                var stat = Nlm4Results.ReadRes(results).Stat;
                if (stat == Nlm4Stat.NLM4_GRANTED) return GrantOutcome.Delivered;
                // The client's lockd is itself in its grace period: ask again later, as Linux does.
                if (stat != Nlm4Stat.NLM4_DENIED_GRACE_PERIOD) return GrantOutcome.Refused;
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return GrantOutcome.Stopped;
            }
            catch (Exception e)
            {
                _log?.Invoke($"nlm {procedure} to {client} (attempt {attempt}/{attempts}): {e.Message}");
            }
            if (attempt == attempts) break;
            try
            {
                await Task.Delay(_options.GrantedRetryDelay, _stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return GrantOutcome.Stopped;
            }
        }
        return GrantOutcome.Undeliverable;
    }

    private Task<byte[]> CallAsync(IPAddress client, Nlm4Procedure procedure, byte[] arguments) =>
        RpcCallback.CallAsync(_resolver, client, Nlm4.Program, Nlm4.Version, (uint)procedure, arguments, _credential,
            _options.CallbackTimeout, _stopping);

    private static byte[] Encode(Nlm4TestArgs args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        var writer = new XdrWriter(buffer);
        args.Write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }
}
