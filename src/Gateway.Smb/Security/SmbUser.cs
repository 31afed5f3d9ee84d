namespace Gateway.Smb.Security;

/// <summary>
/// A user SMB may authenticate. NtHash = MD4(UTF-16LE(password)), 16 bytes: the server never needs the
/// password itself. Uid/Gid: who the user acts as on disk.
/// </summary>
public sealed record SmbUser(string Name, uint Uid, uint Gid, byte[] NtHash);
