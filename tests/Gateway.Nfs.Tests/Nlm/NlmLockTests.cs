using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

public sealed class NlmLockTests : IDisposable
{
    private static readonly NlmCaller A = NlmCaller.Of("client-a", 101);
    private static readonly NlmCaller B = NlmCaller.Of("client-b", 202);

    private readonly NlmHarness _h = new();
    private readonly NlmClient _a;
    private readonly NlmClient _b;
    private readonly byte[] _file;

    public NlmLockTests()
    {
        _a = _h.Client(A);
        _b = _h.Client(B);
        _file = _h.CreateFile("file");
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Null_answers_with_an_empty_reply()
    {
        Assert.Empty(await _h.Rpc().CallAsync(Nlm4.Program, Nlm4.Version, 0, []));
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    public async Task Versions_other_than_4_get_prog_mismatch_4_to_4(uint version)
    {
        var (stat, low, high) = NfsClient.Accept(await _h.Rpc().RawAsync(Nlm4.Program, version, 0, []));
        Assert.Equal((AcceptStat.PROG_MISMATCH, 4u, 4u), (stat, low, high));
    }

    [Fact]
    public async Task Test_on_a_free_file_is_granted()
    {
        Assert.Equal(new TestReply(NLM4_GRANTED, null), await _a.TestAsync(_file, 0, 100));
    }

    [Fact]
    public async Task Exclusive_lock_by_a_makes_test_by_b_denied_with_as_holder()
    {
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 10, 90));
        var test = await _b.TestAsync(_file, 50, 10, exclusive: false);
        Assert.Equal(NLM4_DENIED, test.Stat);
        Assert.True(test.Holder!.Exclusive);
        Assert.Equal(A.Svid, test.Holder.Svid);
        Assert.Equal(A.Oh, test.Holder.Oh);
        Assert.Equal((10ul, 90ul), (test.Holder.Offset, test.Holder.Length));
    }

    [Fact]
    public async Task Test_by_the_holder_itself_is_granted()
    {
        await _a.LockAsync(_file, 0, 100);
        Assert.Equal(NLM4_GRANTED, (await _a.TestAsync(_file, 0, 100)).Stat);
    }

    [Fact]
    public async Task Non_blocking_lock_by_b_on_as_range_is_denied()
    {
        await _a.LockAsync(_file, 0, 100);
        Assert.Equal(NLM4_DENIED, await _b.LockAsync(_file, 99, 1));
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, 100, 1));
    }

    [Fact]
    public async Task Unlock_by_a_then_lock_by_b_is_granted()
    {
        await _a.LockAsync(_file, 0, 100);
        Assert.Equal(NLM4_GRANTED, await _a.UnlockAsync(_file, 0, 100));
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, 0, 100));
        Assert.Equal(LockProtocol.Nlm, Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("file"))).Owner.Protocol);
    }

    [Fact]
    public async Task Unlocking_a_sub_range_splits_the_lock()
    {
        await _a.LockAsync(_file, 0, 100);
        await _a.UnlockAsync(_file, 40, 20);
        var held = _h.Vfs.Locks.GetLocks(_h.NodeOf("file")).Select(l => (l.Range.Offset, l.Range.Length)).Order().ToArray();
        Assert.Equal([(0ul, 40ul), (60ul, 40ul)], held);
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, 40, 20));
        Assert.Equal(NLM4_DENIED, await _b.LockAsync(_file, 39, 1));
        Assert.Equal(NLM4_DENIED, await _b.LockAsync(_file, 60, 1));
    }

    [Fact]
    public async Task Shared_and_shared_are_both_granted_but_exclusive_is_not()
    {
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 0, 100, exclusive: false));
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, 50, 100, exclusive: false));
        var c = _h.Client(NlmCaller.Of("client-c", 303));
        Assert.Equal(NLM4_DENIED, await c.LockAsync(_file, 0, 1, exclusive: true));
        Assert.Equal(NLM4_DENIED, (await c.TestAsync(_file, 120, 1)).Stat);
    }

    [Fact]
    public async Task Length_zero_locks_to_end_of_file_and_is_reported_as_zero()
    {
        await _a.LockAsync(_file, 100, 0);
        var test = await _b.TestAsync(_file, 1_000_000_000_000, 1);
        Assert.Equal(NLM4_DENIED, test.Stat);
        Assert.Equal((100ul, 0ul), (test.Holder!.Offset, test.Holder.Length));
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, 0, 100));
    }

    [Fact]
    public async Task The_same_owner_upgrades_its_own_shared_lock()
    {
        await _a.LockAsync(_file, 0, 100, exclusive: false);
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 0, 100, exclusive: true));
        Assert.Equal(LockKind.Exclusive, Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("file"))).Kind);
    }

    [Fact]
    public async Task Another_process_on_the_same_host_is_another_owner()
    {
        await _a.LockAsync(_file, 0, 100);
        var sibling = _h.Client(NlmCaller.Of(A.Name, A.Svid + 1));
        Assert.Equal(NLM4_DENIED, await sibling.LockAsync(_file, 0, 1));
    }

    [Fact]
    public async Task The_same_process_ids_on_another_host_are_another_owner()
    {
        await _a.LockAsync(_file, 0, 100);
        var lookalike = _h.Client(A with { Name = "client-z" });
        Assert.Equal(NLM4_DENIED, await lookalike.LockAsync(_file, 0, 1));
    }

    [Fact]
    public async Task Unlock_of_nothing_is_granted()
    {
        Assert.Equal(NLM4_GRANTED, await _b.UnlockAsync(_file, 0, 0));
    }

    [Fact]
    public async Task Free_all_releases_every_lock_of_that_caller_and_only_those()
    {
        var other = _h.CreateFile("other");
        await _a.LockAsync(_file, 0, 10);
        await _a.LockAsync(other, 0, 10);
        await _b.LockAsync(_file, 20, 10);
        await _b.FreeAllAsync(A.Name);
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("other")));
        var left = Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("file")));
        Assert.Equal(NlmIdentity.ClientOf(B.Name), left.Owner.Client);
    }

    [Fact]
    public async Task Free_all_from_a_host_no_export_admits_is_ignored()
    {
        await _a.LockAsync(_file, 0, 10);
        await _h.Client(B, remote: "198.51.100.7").FreeAllAsync(A.Name);
        Assert.Single(_h.Vfs.Locks.GetLocks(_h.NodeOf("file")));
        Assert.Contains(_h.Logs, l => l.Contains("FREE_ALL", StringComparison.Ordinal) && l.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lock_registers_the_client_with_the_status_monitor_but_nm_lock_does_not()
    {
        await _a.LockAsync(_file, 0, 10);
        await _b.LockAsync(_file, 20, 10, procedure: Nlm4Procedure.NM_LOCK);
        var monitored = Assert.Single(_h.Nsm.Monitored);
        Assert.Equal((A.Name, "127.0.0.1", true), (monitored.MonName, monitored.Address, monitored.Internal));
        Assert.Equal(2, _h.Vfs.Locks.GetLocks(_h.NodeOf("file")).Count);
    }

    [Fact]
    public async Task A_long_cookie_is_echoed_unchanged()
    {
        var cookie = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 0, 1, cookie: cookie));
    }

    [Fact]
    public async Task Truncated_arguments_are_garbage_args()
    {
        var args = _a.LockArgs(NlmClient.NewCookie(), _file, 0, 1, true, false, false);
        var reply = await _h.Rpc().RawAsync(Nlm4.Program, Nlm4.Version, (uint)Nlm4Procedure.LOCK, args[..^8]);
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(reply).Stat);
    }

    [Fact]
    public async Task Test_and_lock_use_64_bit_offsets()
    {
        const ulong far = 0x1_0000_0000_0000;
        await _a.LockAsync(_file, far, 16);
        var test = await _b.TestAsync(_file, far + 15, 1);
        Assert.Equal((far, 16ul), (test.Holder!.Offset, test.Holder.Length));
        Assert.Equal(NLM4_GRANTED, await _b.LockAsync(_file, far + 16, 16));
    }
}
