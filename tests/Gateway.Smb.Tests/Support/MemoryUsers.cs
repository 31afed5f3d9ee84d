using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Support;

/// <summary>ISmbUserDirectory over a dictionary (case-insensitive names), for server tests.</summary>
public sealed class MemoryUsers : ISmbUserDirectory
{
    private readonly Dictionary<string, SmbUser> _users = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string name, string password, uint uid, uint gid) =>
        _users[name] = new SmbUser(name, uid, gid, NtHash.Compute(password));

    public SmbUser? Find(string userName) => _users.GetValueOrDefault(userName);
}
