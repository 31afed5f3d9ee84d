using System.Net;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>Blocking LOCK, CANCEL and the GRANTED callback, with a real client NLM service on TCP.</summary>
public sealed class NlmBlockingTests : IAsyncLifetime
{
    private static readonly NlmCaller A = NlmCaller.Of("client-a", 11);
    private static readonly NlmCaller B = NlmCaller.Of("client-b", 22);
    private static readonly NlmCaller C = NlmCaller.Of("client-c", 33);

    private readonly CallbackServer _client = new();
    private TestResolver _resolver = null!;
    private NlmHarness _h = null!;

    public Task InitializeAsync()
    {
        _resolver = _client.Resolver();
        _h = new NlmHarness(callbacks: _resolver);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _h.Dispose();
        await _client.DisposeAsync();
    }

    [Fact]
    public async Task Over_tcp_a_blocked_lock_is_granted_by_callback_when_the_holder_unlocks()
    {
        await using var server = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), _h.Dispatcher);
        server.Start();
        await using var rpcA = await RpcClient.ConnectAsync(server.LocalEndPoint, NfsClient.Sys());
        await using var rpcB = await RpcClient.ConnectAsync(server.LocalEndPoint, NfsClient.Sys());
        var a = NlmClient.Over(rpcA, A);
        var b = NlmClient.Over(rpcB, B);
        var fh = _h.CreateFile("f");

        Assert.Equal(NLM4_GRANTED, await a.LockAsync(fh, 0, 100));
        var cookie = NlmClient.NewCookie();
        Assert.Equal(NLM4_BLOCKED, await b.LockAsync(fh, 50, 10, block: true, cookie: cookie));
        Assert.Equal(1, _h.Nlm.BlockedCount);
        Assert.Equal(NLM4_GRANTED, await a.UnlockAsync(fh, 0, 100));

        var granted = await _client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED);
        Assert.Equal(b.TestArgs(cookie, fh, 50, 10, exclusive: true), granted.Arguments);
        var held = Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
        Assert.Equal(NlmIdentity.LockOwnerOf(B.Name, B.Oh, B.Svid), held.Owner);
        Assert.Equal(new ByteRange(50, 10), held.Range);
        Assert.Contains((IPAddress.Loopback, Nlm4.Program), _resolver.Lookups.Items);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the request is done");
    }

    [Fact]
    public async Task A_retransmitted_blocking_lock_is_still_one_waiter()
    {
        var fh = _h.CreateFile("f");
        await _h.Client(A).LockAsync(fh, 0, 10);
        var b = _h.Client(B);
        Assert.Equal(NLM4_BLOCKED, await b.LockAsync(fh, 0, 10, block: true));
        Assert.Equal(NLM4_BLOCKED, await b.LockAsync(fh, 0, 10, block: true));
        Assert.Equal(1, _h.Nlm.BlockedCount);
    }

    [Fact]
    public async Task Cancel_withdraws_the_waiter_so_the_lock_goes_to_someone_else()
    {
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        var b = _h.Client(B);
        await a.LockAsync(fh, 0, 10);
        Assert.Equal(NLM4_BLOCKED, await b.LockAsync(fh, 0, 10, block: true));
        Assert.Equal(NLM4_GRANTED, await b.CancelAsync(fh, 0, 10));
        await a.UnlockAsync(fh, 0, 10);
        Assert.Equal(NLM4_GRANTED, await _h.Client(C).LockAsync(fh, 0, 10));
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the cancelled request is gone");
        Assert.DoesNotContain(_client.Calls.Items, c => c.Procedure == (uint)Nlm4Procedure.GRANTED);
    }

    [Fact]
    public async Task Cancel_of_a_request_that_does_not_exist_is_granted()
    {
        Assert.Equal(NLM4_GRANTED, await _h.Client(B).CancelAsync(_h.CreateFile("f"), 0, 10));
    }

    [Fact]
    public async Task Unlock_by_the_waiting_owner_withdraws_its_request()
    {
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        var b = _h.Client(B);
        await a.LockAsync(fh, 0, 10);
        await b.LockAsync(fh, 0, 10, block: true);
        Assert.Equal(NLM4_GRANTED, await b.UnlockAsync(fh, 0, 10));
        await a.UnlockAsync(fh, 0, 10);
        Assert.Equal(NLM4_GRANTED, await _h.Client(C).LockAsync(fh, 0, 10));
    }

    [Fact]
    public async Task Free_all_withdraws_the_clients_blocked_requests()
    {
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        await a.LockAsync(fh, 0, 10);
        await _h.Client(B).LockAsync(fh, 0, 10, block: true);
        await a.FreeAllAsync(B.Name);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "B's request is withdrawn");
        await a.UnlockAsync(fh, 0, 10);
        Assert.Equal(NLM4_GRANTED, await _h.Client(C).LockAsync(fh, 0, 10));
    }

    [Fact]
    public async Task A_granted_lock_whose_client_cannot_be_reached_is_released_again()
    {
        _h.Callbacks = new TestResolver(CallbackServer.DeadEndPoint());
        _h.Restart();
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        await a.LockAsync(fh, 0, 10);
        Assert.Equal(NLM4_BLOCKED, await _h.Client(B).LockAsync(fh, 0, 10, block: true));
        await a.UnlockAsync(fh, 0, 10);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the undeliverable grant is given up");
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
        Assert.Contains(_h.Logs, l => l.Contains("undeliverable", StringComparison.Ordinal) && l.Contains("released", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_granted_lock_the_client_refuses_is_released_again()
    {
        _client.Nlm.GrantedAnswer = NLM4_DENIED;
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        await a.LockAsync(fh, 0, 10);
        await _h.Client(B).LockAsync(fh, 0, 10, block: true);
        await a.UnlockAsync(fh, 0, 10);
        await _client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED);
        await Eventually.TrueAsync(() => _h.Nlm.BlockedCount == 0, "the refused grant is undone");
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    [Fact]
    public async Task Two_shared_waiters_are_both_granted_when_the_exclusive_holder_leaves()
    {
        var fh = _h.CreateFile("f");
        var a = _h.Client(A);
        await a.LockAsync(fh, 0, 10);
        Assert.Equal(NLM4_BLOCKED, await _h.Client(B).LockAsync(fh, 0, 10, exclusive: false, block: true));
        Assert.Equal(NLM4_BLOCKED, await _h.Client(C).LockAsync(fh, 5, 10, exclusive: false, block: true));
        Assert.Equal(2, _h.Nlm.BlockedCount);
        await a.UnlockAsync(fh, 0, 10);
        var b = await _client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED && Contains(c.Arguments, B.Oh));
        var c = await _client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED && Contains(c.Arguments, C.Oh));
        Assert.NotSame(b, c);
        Assert.All(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")), l => Assert.Equal(LockKind.Shared, l.Kind));
        Assert.Equal(2, _h.Vfs.Locks.GetLocks(_h.NodeOf("f")).Count);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
