namespace Gateway.Smb.Security;

/// <summary>Where the authenticator looks users up. Lookups are case-insensitive (Windows user names are).</summary>
public interface ISmbUserDirectory
{
    SmbUser? Find(string userName);
}
