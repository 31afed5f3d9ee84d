using System.Security.Cryptography;
using Gateway.Smb.Security;
using Gateway.Vfs.Store;

namespace Gateway.Host.Smb;

/// <summary>Adding SMB users, and the first user an export gets when the Store has none.</summary>
public static class SmbUsers
{
    // No 0/O, 1/l/I: the generated password is read off a terminal and typed into a client.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
        && name[0] != '.' && name[0] != '-';

    public static void Add(GatewayStore store, string name, string password, uint uid, uint gid)
    {
        if (!IsValidName(name)) throw new ArgumentException($"user name '{name}' is not usable: use 1-64 letters, digits, '.', '-' or '_'");
        store.PutUser(name, uid, gid, NtHash.Compute(password));
    }

    public static string GeneratePassword(int length = 16)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = PasswordAlphabet[RandomNumberGenerator.GetInt32(PasswordAlphabet.Length)];
        return new string(chars);
    }

    /// <summary>
    /// With no users at all, SMB would refuse everyone: create one named after the person who started the
    /// gateway, acting as the owner of the export, and return its password (to print once; only the hash is kept).
    /// </summary>
    internal static (string Name, string Password)? EnsureOne(GatewayStore store, uint uid, uint gid)
    {
        if (store.GetUsers().Count > 0) return null;
        var name = DefaultUserName();
        var password = GeneratePassword();
        Add(store, name, password, uid, gid);
        return (name, password);
    }

    public static string DefaultUserName()
    {
        foreach (var v in new[] { "SUDO_USER", "USER", "LOGNAME" })
        {
            var n = Environment.GetEnvironmentVariable(v);
            if (!string.IsNullOrEmpty(n) && IsValidName(n)) return n;
        }
        return "gateway";
    }
}
