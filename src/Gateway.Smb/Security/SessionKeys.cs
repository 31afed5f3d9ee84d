namespace Gateway.Smb.Security;

/// <summary>
/// Keys of one SMB session. EncryptionKey: the server encrypts with it (server to client, "ServerOut");
/// DecryptionKey: the server decrypts with it (client to server, "ServerIn"). Empty arrays where the dialect
/// has no such key (2.x has no encryption).
/// </summary>
public sealed record SessionKeys(byte[] SigningKey, byte[] EncryptionKey, byte[] DecryptionKey, byte[] ApplicationKey);
