using Gateway.Smb.Security;
using Gateway.Vfs.Store;

namespace Gateway.Host.Smb;

/// <summary>SMB logons checked against the users in the Store (NT hashes only). Read on every logon, so `gateway user` changes apply at once.</summary>
internal sealed class StoreUserDirectory(GatewayStore store) : ISmbUserDirectory
{
    public SmbUser? Find(string userName)
    {
        var row = store.FindUser(userName);
        return row is null || row.NtHash.Length != 16 ? null : new SmbUser(row.Name, row.Uid, row.Gid, row.NtHash);
    }
}
