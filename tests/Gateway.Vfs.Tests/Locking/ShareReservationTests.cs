using Gateway.Vfs.Locking;
using static Gateway.Vfs.Tests.Locking.LockTestKit;

namespace Gateway.Vfs.Tests.Locking;

public class ShareReservationTests
{
    private const ShareAccess R = ShareAccess.Read;
    private const ShareAccess W = ShareAccess.Write;
    private const ShareAccess D = ShareAccess.Delete;
    private const ShareAccess None = ShareAccess.None;
    private static readonly LockOwner A = Smb(1);
    private static readonly LockOwner B = Smb(2);

    [Theory]
    // existing access, existing deny, new access, new deny, expected
    [InlineData(R, None, R | W, None, VfsStatus.Ok)]
    [InlineData(R, W, R, None, VfsStatus.Ok)]
    [InlineData(R, W, W, None, VfsStatus.ShareConflict)]              // asks for what is denied
    [InlineData(R | W, None, R, W, VfsStatus.ShareConflict)]          // denies what is held
    [InlineData(R, R | W | D, R, None, VfsStatus.ShareConflict)]
    [InlineData(R, None, R, R, VfsStatus.ShareConflict)]
    [InlineData(None, R | W | D, None, None, VfsStatus.Ok)]           // attribute-only open passes any deny
    [InlineData(D, None, R, D, VfsStatus.ShareConflict)]
    [InlineData(R, D, D, None, VfsStatus.ShareConflict)]
    [InlineData(R, D, R | W, None, VfsStatus.Ok)]
    public void Second_open_is_checked_against_the_first(ShareAccess access1, ShareAccess deny1, ShareAccess access2, ShareAccess deny2, VfsStatus expected)
    {
        var m = NewManager();
        Assert.Equal(VfsStatus.Ok, m.OpenShare(TestNode, 1, A, access1, deny1));

        Assert.Equal(expected, m.OpenShare(TestNode, 2, B, access2, deny2));
        Assert.Equal(expected == VfsStatus.Ok ? 2 : 1, m.GetShares(TestNode).Count);
    }

    [Fact]
    public void Same_owner_is_checked_like_any_other_open()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, W);

        Assert.Equal(VfsStatus.ShareConflict, m.OpenShare(TestNode, 2, A, W, None));
    }

    [Fact]
    public void Every_existing_open_is_checked_not_just_the_first()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, None);
        m.OpenShare(TestNode, 2, B, R, W);

        Assert.Equal(VfsStatus.ShareConflict, m.OpenShare(TestNode, 3, Smb(3), R | W, None));
    }

    [Fact]
    public void Open_with_an_open_id_already_present_is_invalid()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, None);

        Assert.Equal(VfsStatus.Invalid, m.OpenShare(TestNode, 1, B, R, None));
        Assert.Equal(VfsStatus.Ok, m.OpenShare(OtherNode, 1, B, R, None));
    }

    [Fact]
    public void Undefined_access_bits_are_invalid()
    {
        var m = NewManager();

        Assert.Equal(VfsStatus.Invalid, m.OpenShare(TestNode, 1, A, (ShareAccess)8, None));
        Assert.Equal(VfsStatus.Invalid, m.OpenShare(TestNode, 1, A, R, (ShareAccess)0x80));
        Assert.Empty(m.GetShares(TestNode));
    }

    [Fact]
    public void Closing_a_share_frees_its_reservation()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, W);
        Assert.Equal(VfsStatus.ShareConflict, m.OpenShare(TestNode, 2, B, W, None));

        m.CloseShare(TestNode, 1);

        Assert.Equal(VfsStatus.Ok, m.OpenShare(TestNode, 2, B, W, None));
        Assert.Equal(2UL, Assert.Single(m.GetShares(TestNode)).OpenId);
    }

    [Fact]
    public void Closing_an_unknown_open_is_harmless()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, None);

        m.CloseShare(TestNode, 99);
        m.CloseShare(OtherNode, 1);

        Assert.Single(m.GetShares(TestNode));
    }

    [Fact]
    public void ReleaseOwner_closes_that_owners_shares_on_every_node()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R | W, R | W);
        m.OpenShare(OtherNode, 2, A, R, W);
        m.OpenShare(TestNode, 3, B, None, None);

        m.ReleaseOwner(A);

        Assert.Equal(B, Assert.Single(m.GetShares(TestNode)).Owner);
        Assert.Empty(m.GetShares(OtherNode));
        Assert.Equal(VfsStatus.Ok, m.OpenShare(TestNode, 4, B, R | W, None));
    }

    [Fact]
    public void ReleaseClient_closes_the_shares_and_locks_of_every_owner_of_that_client_only()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, Smb(1, session: 7), R, W);
        m.OpenShare(TestNode, 2, Smb(2, session: 7), R, W);
        m.OpenShare(TestNode, 3, Smb(3, session: 8), R, W);
        var sameKeyOtherProtocol = new LockOwner(LockProtocol.Nfs4, new ClientKey(7), 1);
        m.OpenShare(TestNode, 4, sameKeyOtherProtocol, R, W);
        m.Windows(Smb(1, session: 7), 0, 10, LockKind.Shared);

        m.ReleaseClient(LockProtocol.Smb, new ClientKey(7));

        Assert.Equal([3UL, 4UL], m.GetShares(TestNode).Select(s => s.OpenId).Order().ToArray());
        Assert.Empty(m.GetLocks(TestNode));
    }

    [Fact]
    public void ReleaseNode_drops_all_shares_of_the_node()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, R | W | D);
        m.OpenShare(OtherNode, 2, A, R, R | W | D);

        m.ReleaseNode(TestNode);

        Assert.Empty(m.GetShares(TestNode));
        Assert.Single(m.GetShares(OtherNode));
    }

    [Fact]
    public void Shares_and_byte_range_locks_do_not_interact()
    {
        var m = NewManager();
        m.OpenShare(TestNode, 1, A, R, R | W | D);

        Assert.True(m.Posix(Nlm(1), 0, 0, LockKind.Exclusive).Granted);
        m.CloseShare(TestNode, 1);
        Assert.Single(m.GetLocks(TestNode));
    }
}
