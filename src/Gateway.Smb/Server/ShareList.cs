using Gateway.Smb.DceRpc;

namespace Gateway.Smb.Server;

/// <summary>What srvsvc NetrShareEnum lists: the disk shares and IPC$.</summary>
internal static class ShareList
{
    public static IReadOnlyList<ShareInfo> Of(SmbServer server)
    {
        var list = new List<ShareInfo>(server.Shares.All.Count + 1);
        foreach (var s in server.Shares.All)
            list.Add(new ShareInfo(s.Name, 0, ""));
        list.Add(new ShareInfo("IPC$", 0x80000003, "IPC Service"));
        return list;
    }
}
