using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using static Gateway.Nfs.Nsm.SmResult;

namespace Gateway.Nfs.Tests.Nsm;

/// <summary>SM_STAT, SM_MON, SM_UNMON, SM_UNMON_ALL and the state number, kept in the Store.</summary>
public sealed class NsmTests : IDisposable
{
    private readonly NlmHarness _h = new();

    public void Dispose() => _h.Dispose();

    private NsmClient Local => new(_h.Rpc());

    [Fact]
    public async Task Null_answers_with_an_empty_reply()
    {
        Assert.Empty(await _h.Rpc().CallAsync(Nsm1.Program, 1, 0, []));
    }

    [Fact]
    public async Task Version_2_gets_prog_mismatch_1_to_1()
    {
        var (stat, low, high) = NfsClient.Accept(await _h.Rpc().RawAsync(Nsm1.Program, 2, 0, []));
        Assert.Equal((AcceptStat.PROG_MISMATCH, 1u, 1u), (stat, low, high));
    }

    [Fact]
    public async Task Stat_answers_success_and_an_odd_state()
    {
        var (result, state) = await Local.StatAsync("client-a");
        Assert.Equal(stat_succ, result);
        Assert.Equal(1, state % 2);
        Assert.Equal(_h.Nsm.State, state);
    }

    [Fact]
    public async Task The_state_grows_by_two_at_every_restart_and_is_kept_in_the_store()
    {
        var first = (await Local.StatAsync("x")).State;
        _h.Restart();
        var second = (await Local.StatAsync("x")).State;
        _h.Restart();
        var third = (await Local.StatAsync("x")).State;
        Assert.Equal((first + 2, first + 4), (second, third));
        Assert.Equal(third, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(_h.Store.GetMeta("nsm.state")));
    }

    [Fact]
    public void A_state_left_even_by_a_previous_run_moves_to_the_next_odd_number()
    {
        _h.Store.SetMeta("nsm.state", [0, 0, 0, 8]);
        _h.Restart();
        Assert.Equal(9, _h.Nsm.State);
    }

    [Fact]
    public async Task Mon_records_the_host_in_the_store_and_it_survives_a_restart()
    {
        var priv = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var (result, state) = await Local.MonAsync("client-a", priv: priv);
        Assert.Equal((stat_succ, _h.Nsm.State), (result, state));
        Assert.Contains(_h.Store.GetClients(Nsm1.ClientProtocol), c => c.Name == "client-a");
        _h.Restart();
        var kept = Assert.Single(_h.Nsm.Monitored);
        Assert.Equal(("client-a", false, "localhost", 200100u, 1u, 1u), (kept.MonName, kept.Internal, kept.MyName, kept.MyProg, kept.MyVers, kept.MyProc));
        Assert.Equal(priv, kept.Priv);
    }

    [Fact]
    public async Task Mon_twice_is_one_registration()
    {
        await Local.MonAsync("client-a");
        await Local.MonAsync("client-a");
        Assert.Single(_h.Store.GetClients(Nsm1.ClientProtocol));
    }

    [Fact]
    public async Task Unmon_removes_that_registration_only()
    {
        await Local.MonAsync("client-a");
        await Local.MonAsync("client-b");
        Assert.Equal(_h.Nsm.State, await Local.UnmonAsync("client-a"));
        Assert.Equal("client-b", Assert.Single(_h.Nsm.Monitored).MonName);
        _h.Restart();
        Assert.Equal("client-b", Assert.Single(_h.Store.GetClients(Nsm1.ClientProtocol)).Name);
    }

    [Fact]
    public async Task Unmon_all_removes_every_registration_of_that_requester()
    {
        await Local.MonAsync("client-a");
        await Local.MonAsync("client-b");
        await Local.MonAsync("client-c", prog: 200200);
        await Local.UnmonAllAsync();
        Assert.Equal("client-c", Assert.Single(_h.Nsm.Monitored).MonName);
    }

    [Fact]
    public async Task Unmon_all_leaves_the_nlm_services_own_monitoring_alone()
    {
        var fh = _h.CreateFile("f");
        await _h.Client(NlmCaller.Of("client-a", 1)).LockAsync(fh, 0, 1);
        await Local.UnmonAllAsync("", Gateway.Nfs.Nlm.Nlm4.Program, 4, 0);
        Assert.True(Assert.Single(_h.Nsm.Monitored).Internal);
    }

    [Fact]
    public async Task Mon_and_unmon_from_a_remote_host_are_refused()
    {
        await Local.MonAsync("client-a");
        var remote = new NsmClient(_h.Rpc("198.51.100.7"));
        Assert.Equal(stat_fail, (await remote.MonAsync("client-x")).Result);
        await remote.UnmonAsync("client-a");
        await remote.UnmonAllAsync();
        Assert.Equal("client-a", Assert.Single(_h.Nsm.Monitored).MonName);
    }

    [Fact]
    public async Task Mon_of_an_empty_name_fails()
    {
        Assert.Equal(stat_fail, (await Local.MonAsync("")).Result);
        Assert.Empty(_h.Nsm.Monitored);
    }
}
