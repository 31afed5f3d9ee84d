using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Vfs;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>One lock manager: NLM owners and SMB (Windows-flavour) owners see each other's locks.</summary>
public sealed class NlmCrossProtocolTests : IAsyncLifetime
{
    private static readonly LockOwner Smb = new(LockProtocol.Smb, new ClientKey(0x5b), 42);

    private readonly CallbackServer _client = new();
    private NlmHarness _h = null!;
    private NlmClient _a = null!;
    private byte[] _file = null!;
    private NodeId _node;

    public Task InitializeAsync()
    {
        _h = new NlmHarness(callbacks: _client.Resolver());
        _a = _h.Client(NlmCaller.Of("client-a", 7));
        _file = _h.CreateFile("shared.db");
        _node = _h.NodeOf("shared.db");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _h.Dispose();
        await _client.DisposeAsync();
    }

    [Fact]
    public async Task An_smb_lock_makes_an_overlapping_nlm_lock_denied()
    {
        Assert.True(_h.Vfs.Locks.TryLock(_node, Smb, new ByteRange(100, 50), LockKind.Exclusive, LockFlavor.Windows).Granted);
        Assert.Equal(NLM4_DENIED, await _a.LockAsync(_file, 140, 20));
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 150, 20));
    }

    [Fact]
    public async Task Nlm_test_reports_the_smb_holder_with_svid_0_and_no_oh()
    {
        _h.Vfs.Locks.TryLock(_node, Smb, new ByteRange(100, 50), LockKind.Shared, LockFlavor.Windows);
        var test = await _a.TestAsync(_file, 0, 0);
        Assert.Equal(NLM4_DENIED, test.Stat);
        Assert.Equal((false, 0u, 100ul, 50ul), (test.Holder!.Exclusive, test.Holder.Svid, test.Holder.Offset, test.Holder.Length));
        Assert.Empty(test.Holder.Oh);
        Assert.Equal(NLM4_GRANTED, (await _a.TestAsync(_file, 0, 0, exclusive: false)).Stat);
    }

    [Fact]
    public async Task An_nlm_lock_makes_an_smb_trylock_fail_and_names_the_nlm_owner()
    {
        Assert.Equal(NLM4_GRANTED, await _a.LockAsync(_file, 0, 10));
        var smb = _h.Vfs.Locks.TryLock(_node, Smb, new ByteRange(5, 1), LockKind.Shared, LockFlavor.Windows);
        Assert.Equal(VfsStatus.LockConflict, smb.Status);
        Assert.Equal(NlmIdentity.LockOwnerOf("client-a", _a.Caller.Oh, _a.Caller.Svid), smb.Conflict!.Value.Holder);
        Assert.True(_h.Vfs.Locks.TryLock(_node, Smb, new ByteRange(10, 1), LockKind.Exclusive, LockFlavor.Windows).Granted);
    }

    [Fact]
    public async Task A_blocked_nlm_lock_is_granted_when_the_smb_lock_goes()
    {
        _h.Vfs.Locks.TryLock(_node, Smb, new ByteRange(0, 10), LockKind.Exclusive, LockFlavor.Windows);
        Assert.Equal(NLM4_BLOCKED, await _a.LockAsync(_file, 0, 10, block: true));
        Assert.Equal(VfsStatus.Ok, _h.Vfs.Locks.Unlock(_node, Smb, new ByteRange(0, 10), LockFlavor.Windows));
        await _client.Calls.WaitAsync(c => c.Procedure == (uint)Nlm4Procedure.GRANTED);
        Assert.Equal(LockProtocol.Nlm, Assert.Single(_h.Vfs.Locks.GetLocks(_node)).Owner.Protocol);
    }
}
