namespace Gateway.Vfs;

/// <summary>
/// Who a request acts for. Protocols build it (AUTH_SYS, NTLM, a FUSE request header);
/// the Vfs checks permissions with it. The gateway process itself touches the disk as itself.
/// </summary>
public sealed record Principal(uint Uid, uint Gid, IReadOnlyList<uint> Groups, string? Name = null)
{
    public static readonly Principal Root = new(0, 0, Array.Empty<uint>(), "root");

    public bool IsSuperUser => Uid == 0;

    public bool InGroup(uint gid)
    {
        if (gid == Gid) return true;
        foreach (var g in Groups)
            if (g == gid) return true;
        return false;
    }
}
