using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Vfs;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>
/// Restart and grace: locks survive in the Store, reclaims by their owners are granted, others wait,
/// and what is not reclaimed by the end of the grace period is released. Grace periods here are long
/// and ended explicitly (EndGracePeriod), except in the one test of the timer itself.
/// </summary>
public sealed class NlmGraceTests : IDisposable
{
    private static readonly NlmCaller A = NlmCaller.Of("client-a", 1);
    private static readonly NlmCaller B = NlmCaller.Of("client-b", 2);
    private static readonly NlmCaller C = NlmCaller.Of("client-c", 3);

    private readonly NlmHarness _h = new(grace: TimeSpan.FromMinutes(5));
    private readonly byte[] _file;

    public NlmGraceTests()
    {
        _file = _h.CreateFile("f");
    }

    public void Dispose() => _h.Dispose();

    private NodeId Node => _h.NodeOf("f");

    /// <summary>A holds [0,100) exclusive, B holds [200,300) shared; then the gateway restarts.</summary>
    private async Task LockAndRestartAsync(TimeSpan? grace = null)
    {
        Assert.False(_h.Nlm.InGracePeriod); // nothing persisted yet: no grace period on the first start
        Assert.Equal(NLM4_GRANTED, await _h.Client(A).LockAsync(_file, 0, 100));
        Assert.Equal(NLM4_GRANTED, await _h.Client(B).LockAsync(_file, 200, 100, exclusive: false));
        _h.Restart(grace);
    }

    [Fact]
    public async Task Locks_survive_a_restart()
    {
        await LockAndRestartAsync();
        Assert.Equal(2, _h.Vfs.Locks.GetLocks(Node).Count);
        Assert.True(_h.Nlm.InGracePeriod);
    }

    [Fact]
    public async Task During_grace_a_new_lock_and_a_test_are_denied_grace_period()
    {
        await LockAndRestartAsync();
        var c = _h.Client(C);
        Assert.Equal(NLM4_DENIED_GRACE_PERIOD, await c.LockAsync(_file, 500, 10));
        Assert.Equal(NLM4_DENIED_GRACE_PERIOD, await c.LockAsync(_file, 500, 10, block: true));
        Assert.Equal(NLM4_DENIED_GRACE_PERIOD, (await c.TestAsync(_file, 500, 10)).Stat);
        Assert.Equal(NLM4_DENIED_GRACE_PERIOD, await c.ShareAsync(_file, 1, 0));
    }

    [Fact]
    public async Task During_grace_a_reclaim_by_the_same_owner_is_granted()
    {
        await LockAndRestartAsync();
        Assert.Equal(NLM4_GRANTED, await _h.Client(A).LockAsync(_file, 0, 100, reclaim: true));
        Assert.Equal(2, _h.Vfs.Locks.GetLocks(Node).Count);
    }

    [Fact]
    public async Task During_grace_a_reclaim_that_conflicts_with_another_owners_lock_is_denied()
    {
        await LockAndRestartAsync();
        Assert.Equal(NLM4_DENIED, await _h.Client(C).LockAsync(_file, 50, 10, reclaim: true));
    }

    [Fact]
    public async Task During_grace_unlock_is_served()
    {
        await LockAndRestartAsync();
        Assert.Equal(NLM4_GRANTED, await _h.Client(A).UnlockAsync(_file, 0, 100));
        Assert.Single(_h.Vfs.Locks.GetLocks(Node));
    }

    [Fact]
    public async Task After_grace_unreclaimed_locks_are_gone_and_normal_locks_work()
    {
        await LockAndRestartAsync();
        await _h.Client(A).LockAsync(_file, 0, 100, reclaim: true);
        _h.Nlm.EndGracePeriod();
        await _h.Nlm.GracePeriodEnded.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(_h.Nlm.InGracePeriod);
        var left = Assert.Single(_h.Vfs.Locks.GetLocks(Node));
        Assert.Equal(NlmIdentity.ClientOf(A.Name), left.Owner.Client);
        var c = _h.Client(C);
        Assert.Equal(NLM4_GRANTED, await c.LockAsync(_file, 200, 100));
        Assert.Equal(NLM4_DENIED, await c.LockAsync(_file, 0, 1));
        Assert.Equal(A.Svid, (await c.TestAsync(_file, 0, 1)).Holder!.Svid);
    }

    [Fact]
    public async Task A_partly_reclaimed_lock_keeps_only_the_reclaimed_part()
    {
        await LockAndRestartAsync();
        await _h.Client(A).LockAsync(_file, 20, 30, reclaim: true);
        _h.Nlm.EndGracePeriod();
        var mine = _h.Vfs.Locks.GetLocks(Node).Where(l => l.Owner.Client == NlmIdentity.ClientOf(A.Name));
        Assert.Equal(new ByteRange(20, 30), Assert.Single(mine).Range);
    }

    [Fact]
    public async Task The_grace_period_ends_by_itself_after_its_duration()
    {
        await LockAndRestartAsync(grace: TimeSpan.FromSeconds(1));
        await _h.Nlm.GracePeriodEnded.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(_h.Nlm.InGracePeriod);
        Assert.Empty(_h.Vfs.Locks.GetLocks(Node));
        Assert.Equal(NLM4_GRANTED, await _h.Client(C).LockAsync(_file, 0, 0));
    }

    [Fact]
    public async Task A_reclaim_after_grace_is_granted_only_if_the_lock_is_still_held()
    {
        await LockAndRestartAsync();
        await _h.Client(A).LockAsync(_file, 0, 100, reclaim: true);
        _h.Nlm.EndGracePeriod();
        Assert.Equal(NLM4_GRANTED, await _h.Client(A).LockAsync(_file, 10, 10, reclaim: true));
        Assert.Equal(NLM4_DENIED_GRACE_PERIOD, await _h.Client(B).LockAsync(_file, 200, 100, exclusive: false, reclaim: true));
    }

    [Fact]
    public async Task No_grace_period_when_the_previous_run_left_no_nlm_state()
    {
        var smb = new LockOwner(LockProtocol.Smb, new ClientKey(5), 5);
        _h.Vfs.Locks.TryLock(Node, smb, new ByteRange(0, 10), LockKind.Exclusive, LockFlavor.Windows);
        _h.Restart();
        Assert.False(_h.Nlm.InGracePeriod);
        Assert.True(_h.Nlm.GracePeriodEnded.IsCompletedSuccessfully);
        Assert.Equal(NLM4_GRANTED, await _h.Client(C).LockAsync(_file, 100, 10));
    }

    [Fact]
    public async Task Locks_of_other_protocols_are_not_released_at_the_end_of_grace()
    {
        var smb = new LockOwner(LockProtocol.Smb, new ClientKey(5), 5);
        _h.Vfs.Locks.TryLock(Node, smb, new ByteRange(1000, 10), LockKind.Exclusive, LockFlavor.Windows);
        await LockAndRestartAsync();
        _h.Nlm.EndGracePeriod();
        Assert.Equal(LockProtocol.Smb, Assert.Single(_h.Vfs.Locks.GetLocks(Node)).Owner.Protocol);
    }

    [Fact]
    public async Task Shares_are_reclaimed_like_locks()
    {
        var a = _h.Client(A);
        var b = _h.Client(B);
        Assert.Equal(NLM4_GRANTED, await a.ShareAsync(_file, 3, 2));
        Assert.Equal(NLM4_GRANTED, await b.ShareAsync(_file, 1, 0));
        _h.Restart();
        Assert.True(_h.Nlm.InGracePeriod);
        Assert.Equal(NLM4_GRANTED, await _h.Client(A).ShareAsync(_file, 3, 2, reclaim: true));
        _h.Nlm.EndGracePeriod();
        var share = Assert.Single(_h.Vfs.Locks.GetShares(Node));
        Assert.Equal(NlmIdentity.ClientOf(A.Name), share.Owner.Client);
    }

    [Theory]
    [InlineData(0ul, 100ul, new ulong[] { }, "0+100")]
    [InlineData(0ul, 100ul, new ulong[] { 0, 100 }, "")]
    [InlineData(0ul, 100ul, new ulong[] { 20, 30 }, "0+20 50+50")]
    [InlineData(0ul, 100ul, new ulong[] { 90, 0 }, "0+90")]
    [InlineData(10ul, 0ul, new ulong[] { 0, 20, 30, 10 }, "20+10 40+0")]
    public void Subtract_leaves_exactly_the_uncovered_bytes(ulong offset, ulong length, ulong[] covered, string expected)
    {
        var ranges = covered.Chunk(2).Select(c => new ByteRange(c[0], c[1])).ToList();
        var pieces = Gateway.Nfs.Nlm.NlmGrace.Subtract(new ByteRange(offset, length), ranges);
        Assert.Equal(expected, string.Join(' ', pieces.Select(p => $"{p.Offset}+{p.Length}")));
    }
}
