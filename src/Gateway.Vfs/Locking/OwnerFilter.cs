namespace Gateway.Vfs.Locking;

/// <summary>Which owners a release sweeps: one owner, or every owner of one client.</summary>
internal readonly struct OwnerFilter
{
    private readonly LockOwner _owner;
    private readonly bool _wholeClient;

    private OwnerFilter(LockOwner owner, bool wholeClient)
    {
        _owner = owner;
        _wholeClient = wholeClient;
    }

    public static OwnerFilter Exactly(LockOwner owner) => new(owner, false);

    public static OwnerFilter Client(LockProtocol protocol, ClientKey client) => new(new LockOwner(protocol, client, 0), true);

    public bool Matches(LockOwner owner) =>
        _wholeClient ? owner.Protocol == _owner.Protocol && owner.Client == _owner.Client : owner == _owner;

    public LockRecord[] Without(LockRecord[] locks)
    {
        var keep = 0;
        foreach (var held in locks)
        {
            if (!Matches(held.Owner))
                keep++;
        }
        if (keep == locks.Length)
            return locks;
        var result = new LockRecord[keep];
        var i = 0;
        foreach (var held in locks)
        {
            if (!Matches(held.Owner))
                result[i++] = held;
        }
        return result;
    }

    public ShareRecord[] Without(ShareRecord[] shares)
    {
        var keep = 0;
        foreach (var share in shares)
        {
            if (!Matches(share.Owner))
                keep++;
        }
        if (keep == shares.Length)
            return shares;
        var result = new ShareRecord[keep];
        var i = 0;
        foreach (var share in shares)
        {
            if (!Matches(share.Owner))
                result[i++] = share;
        }
        return result;
    }
}
