using System.Buffers;
using Gateway.Nfs.Nlm.Procedures;
using Gateway.Rpc;
using P = Gateway.Nfs.Nlm.Nlm4Procedure;

namespace Gateway.Nfs.Nlm;

/// <summary>
/// The Network Lock Manager, version 4 (XNFS), program 100021: NFSv3's byte-range locks and DOS
/// share modes, kept by the LockManager of each export so they meet SMB, NFSv4 and FUSE locks.
/// File handles are the NFSv3 handles (NfsHandleCodec), checked exactly as NFSv3 checks them.
/// Versions 1 and 3 (32-bit offsets) are not served: PROG_MISMATCH 4..4.
/// <para>
/// Not served (PROC_UNAVAIL): GRANTED and GRANTED_MSG (server-to-client calls; the gateway is never
/// an NLM client) and TEST_RES..UNLOCK_RES (answers to _MSG calls the gateway never makes).
/// </para>
/// Dispose on shutdown: blocked requests are withdrawn and callbacks stop; granted locks stay in
/// the Store for the clients to reclaim after the restart.
/// </summary>
public sealed class NlmProgram : IRpcProgram, IDisposable
{
    private const ProcedureFlags Changes = ProcedureFlags.NonIdempotent | ProcedureFlags.MakesWrite;

    private readonly NlmContext _nlm;
    private readonly ProcedureDescriptor?[] _v4;
    private readonly Action<string, System.Net.IPAddress?>? _onClientRebooted;

    public NlmProgram(NfsExports exports, NfsHandleCodec codec, NlmOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(exports);
        ArgumentNullException.ThrowIfNull(codec);
        _nlm = new NlmContext(exports, codec, options ?? new NlmOptions(), log);
        _v4 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null(),
            Row(P.TEST, Test.Handle),
            Row(P.LOCK, LockProcedure.Handle, Changes),
            Row(P.CANCEL, Cancel.Handle, Changes),
            Row(P.UNLOCK, Unlock.Handle, Changes),
            // The _MSG forms are not cached: a retransmission runs again and sends its _RES again.
            Row(P.TEST_MSG, Messages.TestMsg),
            Row(P.LOCK_MSG, Messages.LockMsg, ProcedureFlags.MakesWrite),
            Row(P.CANCEL_MSG, Messages.CancelMsg, ProcedureFlags.MakesWrite),
            Row(P.UNLOCK_MSG, Messages.UnlockMsg, ProcedureFlags.MakesWrite),
            Row(P.GRANTED_RES, Messages.GrantedRes, ProcedureFlags.MakesWrite),
            Row(P.SHARE, Share.HandleShare, Changes),
            Row(P.UNSHARE, Share.HandleUnshare, Changes),
            Row(P.NM_LOCK, LockProcedure.HandleUnmonitored, Changes),
            Row(P.FREE_ALL, FreeAllProcedure.Handle, Changes));
        if (_nlm.Options.Nsm is { } nsm)
        {
            _onClientRebooted = _nlm.ClientRebooted;
            nsm.ClientRebooted += _onClientRebooted;
        }
    }

    public uint Program => Nlm4.Program;

    public uint MinVersion => Nlm4.Version;

    public uint MaxVersion => Nlm4.Version;

    public string Name => "NLM";

    /// <summary>True while only reclaims are served (see <see cref="NlmOptions.GracePeriod"/>).</summary>
    public bool InGracePeriod => _nlm.Grace.InGrace;

    /// <summary>Completes when the grace period has ended and unreclaimed locks are released (at once if there was none).</summary>
    public Task GracePeriodEnded => _nlm.Grace.Ended;

    /// <summary>Blocked LOCK requests waiting for their lock or for their GRANTED to be delivered.</summary>
    public int BlockedCount => _nlm.Blocked.Count;

    /// <summary>Completes when every _RES call sent so far has ended (delivered or given up).</summary>
    public Task CallbacksIdle => _nlm.Callbacks.Idle;

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) =>
        version == Nlm4.Version ? _v4 : Array.Empty<ProcedureDescriptor?>();

    /// <summary>FREE_ALL from outside the wire (SM_NOTIFY, an operator): releases everything of that client.</summary>
    public void FreeAll(string callerName)
    {
        ArgumentNullException.ThrowIfNull(callerName);
        _nlm.FreeAll(callerName);
    }

    /// <summary>Ends the grace period now, releasing what was not reclaimed (operators, tests).</summary>
    public void EndGracePeriod() => _nlm.Grace.End();

    public void Dispose()
    {
        if (_onClientRebooted is not null && _nlm.Options.Nsm is { } nsm) nsm.ClientRebooted -= _onClientRebooted;
        _nlm.Dispose();
    }

    private delegate ValueTask NlmHandler(NlmContext nlm, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results);

    private ProcedureDescriptor Row(P procedure, NlmHandler handler, ProcedureFlags flags = ProcedureFlags.None) =>
        new((uint)procedure, procedure.ToString(), (call, arguments, results) => handler(_nlm, call, arguments, results), flags);
}
