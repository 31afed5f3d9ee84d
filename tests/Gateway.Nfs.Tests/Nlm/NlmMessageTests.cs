using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using static Gateway.Nfs.Nlm.Nlm4Procedure;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>The _MSG forms: an empty reply, then the result as a _RES call to the client's NLM service.</summary>
public sealed class NlmMessageTests : IAsyncLifetime
{
    private static readonly NlmCaller A = NlmCaller.Of("client-a", 11);
    private static readonly NlmCaller B = NlmCaller.Of("client-b", 22);

    private readonly CallbackServer _client = new();
    private NlmHarness _h = null!;
    private NlmClient _a = null!;
    private NlmClient _b = null!;
    private byte[] _file = null!;

    public Task InitializeAsync()
    {
        _h = new NlmHarness(callbacks: _client.Resolver());
        _a = _h.Client(A);
        _b = _h.Client(B);
        _file = _h.CreateFile("f");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _h.Dispose();
        await _client.DisposeAsync();
    }

    [Fact]
    public async Task Test_msg_answers_with_test_res_carrying_the_holder()
    {
        await _a.LockAsync(_file, 0, 10);
        var cookie = NlmClient.NewCookie();
        await _b.SendAsync(TEST_MSG, _b.TestArgs(cookie, _file, 5, 1, exclusive: true));
        var res = await ResultAsync(TEST_RES, cookie);
        var reply = NlmClient.ParseTestRes(res.Arguments, cookie);
        Assert.Equal(NLM4_DENIED, reply.Stat);
        Assert.Equal((A.Svid, 0ul, 10ul), (reply.Holder!.Svid, reply.Holder.Offset, reply.Holder.Length));
    }

    [Fact]
    public async Task Lock_msg_answers_with_lock_res_and_the_lock_is_taken()
    {
        var cookie = NlmClient.NewCookie();
        await _a.SendAsync(LOCK_MSG, _a.LockArgs(cookie, _file, 0, 10, true, false, false));
        var res = await ResultAsync(LOCK_RES, cookie);
        Assert.Equal(NLM4_GRANTED, NlmClient.ParseRes(res.Arguments, cookie));
        Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    [Fact]
    public async Task Unlock_msg_and_cancel_msg_answer_with_their_res()
    {
        await _a.LockAsync(_file, 0, 10);
        var unlock = NlmClient.NewCookie();
        await _a.SendAsync(UNLOCK_MSG, _a.UnlockArgs(unlock, _file, 0, 10));
        Assert.Equal(NLM4_GRANTED, NlmClient.ParseRes((await ResultAsync(UNLOCK_RES, unlock)).Arguments, unlock));
        var cancel = NlmClient.NewCookie();
        await _a.SendAsync(CANCEL_MSG, _a.CancelArgs(cancel, _file, 0, 10, true));
        Assert.Equal(NLM4_GRANTED, NlmClient.ParseRes((await ResultAsync(CANCEL_RES, cancel)).Arguments, cancel));
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    [Fact]
    public async Task A_blocked_lock_msg_is_granted_with_granted_msg_and_kept_when_the_client_accepts()
    {
        await _a.LockAsync(_file, 0, 10);
        var cookie = NlmClient.NewCookie();
        await _b.SendAsync(LOCK_MSG, _b.LockArgs(cookie, _file, 0, 10, true, true, false));
        Assert.Equal(NLM4_BLOCKED, NlmClient.ParseRes((await ResultAsync(LOCK_RES, cookie)).Arguments, cookie));
        await _a.UnlockAsync(_file, 0, 10);
        var grantedMsg = await _client.Calls.WaitAsync(c => c.Procedure == (uint)GRANTED_MSG);
        Assert.Equal(_b.TestArgs(cookie, _file, 0, 10, exclusive: true), grantedMsg.Arguments);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the grant is delivered");
        await _b.SendAsync(GRANTED_RES, Res(cookie, NLM4_GRANTED));
        Assert.Equal(NlmIdentity.LockOwnerOf(B.Name, B.Oh, B.Svid), Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f"))).Owner);
    }

    [Fact]
    public async Task Granted_res_with_a_refusal_releases_the_granted_lock()
    {
        await _a.LockAsync(_file, 0, 10);
        var cookie = NlmClient.NewCookie();
        await _b.SendAsync(LOCK_MSG, _b.LockArgs(cookie, _file, 0, 10, true, true, false));
        await _a.UnlockAsync(_file, 0, 10);
        await _client.Calls.WaitAsync(c => c.Procedure == (uint)GRANTED_MSG);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the grant is delivered");
        await _b.SendAsync(GRANTED_RES, Res(cookie, NLM4_DENIED));
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    [Fact]
    public async Task Granted_res_for_an_unknown_cookie_changes_nothing()
    {
        await _a.LockAsync(_file, 0, 10);
        await _a.SendAsync(GRANTED_RES, Res(NlmClient.NewCookie(), NLM4_DENIED));
        Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    private Task<RecordedCall> ResultAsync(Nlm4Procedure procedure, byte[] cookie) =>
        _client.Calls.WaitAsync(c => c.Procedure == (uint)procedure && c.Arguments.Length >= 4 + cookie.Length && c.Arguments.AsSpan(4, cookie.Length).SequenceEqual(cookie));

    private static byte[] Res(byte[] cookie, Nlm4Stat stat) => Gateway.Nfs.Tests.Support.Xdr.Build((ref Gateway.Rpc.XdrWriter w) =>
    {
        w.WriteOpaque(cookie);
        w.WriteUInt32((uint)stat);
    });
}
