using System.Net;
using Gateway.Nfs.Nlm;
using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Nsm;

/// <summary>SM_NOTIFY both ways: the gateway's after a restart, and a client's after it rebooted.</summary>
public sealed class NsmNotifyTests : IAsyncLifetime
{
    private const uint RequesterProgram = 200100;

    private readonly Recorder<RecordedCall> _requesterCalls = new();
    private CallbackServer _client = null!;
    private TestResolver _resolver = null!;
    private NlmHarness _h = null!;

    public Task InitializeAsync()
    {
        _client = new CallbackServer(new RecordingProgram(RequesterProgram, 1, _requesterCalls));
        _resolver = _client.Resolver();
        _h = new NlmHarness(callbacks: _resolver);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _h.Dispose();
        await _client.DisposeAsync();
    }

    private NsmClient Local => new(_h.Rpc());

    [Fact]
    public async Task After_a_restart_every_monitored_host_gets_sm_notify_with_the_new_state()
    {
        await _h.Client(NlmCaller.Of("client-a", 1)).LockAsync(_h.CreateFile("f"), 0, 1);
        await Local.MonAsync("192.0.2.10");
        _h.Restart();
        Assert.Equal(2, _h.Nsm.Monitored.Count);

        Assert.Equal(2, await _h.Nsm.NotifyRebootAsync());

        var notifications = _client.Calls.Items.Where(c => c.Program == Nsm1.Program).ToList();
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, n =>
        {
            Assert.Equal((uint)NsmProcedure.SM_NOTIFY, n.Procedure);
            Assert.Equal(("gateway-test", _h.Nsm.State), ParseStatChange(n.Arguments));
        });
        var hosts = _resolver.Lookups.Items.Where(l => l.Program == Nsm1.Program).Select(l => l.Host.ToString()).Order();
        Assert.Equal(["127.0.0.1", "192.0.2.10"], hosts);
    }

    [Fact]
    public async Task Without_monitored_hosts_nothing_is_sent()
    {
        Assert.Equal(0, await _h.Nsm.NotifyRebootAsync());
        Assert.Empty(_client.Calls.Items);
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_is_logged_and_does_not_hold_the_others_up()
    {
        await Local.MonAsync("192.0.2.10");
        _h.Callbacks = new TestResolver(CallbackServer.DeadEndPoint());
        _h.Restart();
        Assert.Equal(0, await _h.Nsm.NotifyRebootAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(_h.Logs, l => l.Contains("SM_NOTIFY to 192.0.2.10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sm_notify_from_a_rebooted_client_releases_its_locks_and_only_its_locks()
    {
        var fh = _h.CreateFile("f");
        await _h.Client(NlmCaller.Of("client-a", 1)).LockAsync(fh, 0, 10);
        await _h.Client(NlmCaller.Of("client-a", 2)).ShareAsync(fh, 1, 0);
        await _h.Client(NlmCaller.Of("client-b", 1)).LockAsync(fh, 20, 10);

        await Local.NotifyAsync("client-a", 5);

        var left = Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
        Assert.Equal(NlmIdentity.ClientOf("client-b"), left.Owner.Client);
        Assert.Empty(_h.Vfs.Locks.GetShares(_h.NodeOf("f")));
        Assert.Equal("client-b", Assert.Single(_h.Nsm.Monitored).MonName);
    }

    [Fact]
    public async Task Sm_notify_from_a_host_no_export_admits_releases_nothing()
    {
        var fh = _h.CreateFile("f");
        await _h.Client(NlmCaller.Of("client-a", 1)).LockAsync(fh, 0, 10);
        await new NsmClient(_h.Rpc("198.51.100.7")).NotifyAsync("client-a", 5);
        Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    [Fact]
    public async Task Sm_notify_calls_back_every_sm_mon_requester_of_that_host_with_its_priv()
    {
        var priv = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        await Local.MonAsync("client-a", myName: "127.0.0.1", prog: RequesterProgram, vers: 1, proc: 3, priv: priv);
        await Local.MonAsync("client-b", myName: "127.0.0.1", prog: RequesterProgram, vers: 1, proc: 3);

        await Local.NotifyAsync("client-a", 7);

        var call = await _requesterCalls.WaitAsync(c => c.Procedure == 3);
        var expected = Xdr.Build((ref XdrWriter w) =>
        {
            w.WriteString("client-a");
            w.WriteInt32(7);
            w.WriteOpaqueFixed(priv);
        });
        Assert.Equal(expected, call.Arguments);
        await _h.Nsm.CallbacksIdle.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Single(_requesterCalls.Items);
    }

    [Fact]
    public async Task Simu_crash_moves_the_state_on_and_notifies_the_monitored_hosts()
    {
        await Local.MonAsync("192.0.2.10");
        var before = _h.Nsm.State;
        await Local.SimuCrashAsync();
        Assert.Equal(before + 2, _h.Nsm.State);
        var notify = await _client.Calls.WaitAsync(c => c.Program == Nsm1.Program);
        Assert.Equal(("gateway-test", before + 2), ParseStatChange(notify.Arguments));
        _h.Restart();
        Assert.Equal(before + 4, _h.Nsm.State);
    }

    [Fact]
    public async Task Simu_crash_from_a_remote_host_is_ignored()
    {
        var before = _h.Nsm.State;
        await new NsmClient(_h.Rpc("198.51.100.7")).SimuCrashAsync();
        Assert.Equal(before, _h.Nsm.State);
    }

    [Fact]
    public async Task A_client_told_of_the_restart_reclaims_and_keeps_its_lock()
    {
        var fh = _h.CreateFile("f");
        var a = NlmCaller.Of("client-a", 1);
        await _h.Client(a).LockAsync(fh, 0, 10);
        _h.Restart();
        await _h.Nsm.NotifyRebootAsync();
        await _client.Calls.WaitAsync(c => c.Program == Nsm1.Program);
        Assert.Equal(Gateway.Nfs.Nlm.Nlm4Stat.NLM4_GRANTED, await _h.Client(a).LockAsync(fh, 0, 10, reclaim: true));
        _h.Nlm.EndGracePeriod();
        Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("f")));
    }

    private static (string MonName, int State) ParseStatChange(byte[] arguments) =>
        Xdr.Parse(arguments, static (ref XdrReader r) => (r.ReadString(1024), r.ReadInt32()));
}
