namespace Gateway.Smb;

/// <summary>One disk share: a Vfs exported under <see cref="Name"/> (IPC$ is always added by the server).</summary>
public sealed record SmbShare(string Name, Gateway.Vfs.IVfs Vfs, bool EncryptionRequired);
