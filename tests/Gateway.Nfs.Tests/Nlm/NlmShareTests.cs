using Gateway.Nfs.Nlm;
using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Locking;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>NLM SHARE/UNSHARE (DOS share modes) as LockManager share reservations.</summary>
public sealed class NlmShareTests : IDisposable
{
    // fsh4_access: fsa_NONE 0, fsa_R 1, fsa_W 2, fsa_RW 3; fsh4_mode: fsm_DN 0, fsm_DR 1, fsm_DW 2, fsm_DRW 3.
    private const uint Read = 1, Write = 2, ReadWrite = 3;
    private const uint DenyNone = 0, DenyWrite = 2, DenyReadWrite = 3;

    private readonly NlmHarness _h = new();
    private readonly NlmClient _a;
    private readonly NlmClient _b;
    private readonly byte[] _file;

    public NlmShareTests()
    {
        _a = _h.Client(NlmCaller.Of("client-a", 1));
        _b = _h.Client(NlmCaller.Of("client-b", 2));
        _file = _h.CreateFile("doc");
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Deny_write_refuses_a_share_that_asks_for_write_but_admits_readers()
    {
        Assert.Equal(NLM4_GRANTED, await _a.ShareAsync(_file, Read, DenyWrite));
        Assert.Equal(NLM4_DENIED, await _b.ShareAsync(_file, ReadWrite, DenyNone));
        Assert.Equal(NLM4_GRANTED, await _b.ShareAsync(_file, Read, DenyNone));
    }

    [Fact]
    public async Task A_share_that_denies_what_an_existing_share_has_is_refused()
    {
        Assert.Equal(NLM4_GRANTED, await _a.ShareAsync(_file, Write, DenyNone));
        Assert.Equal(NLM4_DENIED, await _b.ShareAsync(_file, Read, DenyWrite));
    }

    [Fact]
    public async Task Deny_none_shares_all_coexist()
    {
        Assert.Equal(NLM4_GRANTED, await _a.ShareAsync(_file, ReadWrite, DenyNone));
        Assert.Equal(NLM4_GRANTED, await _b.ShareAsync(_file, ReadWrite, DenyNone));
        Assert.Equal(2, _h.Vfs.Locks.GetShares(_h.NodeOf("doc")).Count);
    }

    [Fact]
    public async Task Unshare_lets_the_refused_share_in()
    {
        await _a.ShareAsync(_file, ReadWrite, DenyReadWrite);
        Assert.Equal(NLM4_DENIED, await _b.ShareAsync(_file, Read, DenyNone));
        Assert.Equal(NLM4_GRANTED, await _a.UnshareAsync(_file));
        Assert.Equal(NLM4_GRANTED, await _b.ShareAsync(_file, Read, DenyNone));
    }

    [Fact]
    public async Task Unshare_of_nothing_is_granted()
    {
        Assert.Equal(NLM4_GRANTED, await _b.UnshareAsync(_file));
    }

    [Fact]
    public async Task A_second_share_by_the_same_owner_replaces_the_first()
    {
        await _a.ShareAsync(_file, Read, DenyWrite);
        Assert.Equal(NLM4_GRANTED, await _a.ShareAsync(_file, ReadWrite, DenyNone));
        var share = Assert.Single(_h.Vfs.Locks.GetShares(_h.NodeOf("doc")));
        Assert.Equal((ShareAccess.Read | ShareAccess.Write, ShareAccess.None), (share.Access, share.Deny));
        Assert.Equal(NLM4_GRANTED, await _b.ShareAsync(_file, Write, DenyNone));
    }

    [Fact]
    public async Task A_replacement_that_conflicts_keeps_the_old_share()
    {
        await _a.ShareAsync(_file, Read, DenyNone);
        await _b.ShareAsync(_file, Write, DenyNone);
        Assert.Equal(NLM4_DENIED, await _a.ShareAsync(_file, Read, DenyWrite));
        Assert.Contains(_h.Vfs.Locks.GetShares(_h.NodeOf("doc")), s => s.Access == ShareAccess.Read && s.Deny == ShareAccess.None);
    }

    [Fact]
    public async Task Nlm_shares_meet_smb_share_modes()
    {
        var smb = new LockOwner(LockProtocol.Smb, new ClientKey(77), 1);
        Assert.Equal(VfsStatus.Ok, _h.Vfs.Locks.OpenShare(_h.NodeOf("doc"), 9001, smb, ShareAccess.Read, ShareAccess.Write));
        Assert.Equal(NLM4_DENIED, await _a.ShareAsync(_file, Write, DenyNone));
        Assert.Equal(NLM4_GRANTED, await _a.ShareAsync(_file, Read, DenyNone));
        Assert.Equal(VfsStatus.ShareConflict, _h.Vfs.Locks.OpenShare(_h.NodeOf("doc"), 9002, smb, ShareAccess.Read, ShareAccess.Read));
    }

    [Fact]
    public async Task Free_all_drops_the_clients_shares()
    {
        await _a.ShareAsync(_file, ReadWrite, DenyReadWrite);
        await _b.FreeAllAsync(_a.Caller.Name);
        Assert.Empty(_h.Vfs.Locks.GetShares(_h.NodeOf("doc")));
    }

    [Fact]
    public async Task A_mode_outside_the_enum_is_garbage_args()
    {
        var args = _a.ShareArgs(NlmClient.NewCookie(), _file, Read, 7, false);
        var reply = await _h.Rpc().RawAsync(Nlm4.Program, Nlm4.Version, (uint)Nlm4Procedure.SHARE, args);
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(reply).Stat);
    }
}
