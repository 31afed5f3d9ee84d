using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>An in-memory user directory, case-insensitive like the contract asks.</summary>
internal sealed class TestUsers : ISmbUserDirectory
{
    private readonly Dictionary<string, SmbUser> _users = new(StringComparer.OrdinalIgnoreCase);

    public TestUsers(params (string Name, string Password)[] users)
    {
        uint uid = 1000;
        foreach ((string name, string password) in users)
        {
            _users[name] = new SmbUser(name, uid, uid, NtHash.Compute(password));
            uid++;
        }
    }

    public SmbUser? Find(string userName) => _users.GetValueOrDefault(userName);
}
