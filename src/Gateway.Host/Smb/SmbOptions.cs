namespace Gateway.Host.Smb;

/// <summary>When SMB traffic to the shares must be encrypted.</summary>
public enum SmbEncryption
{
    /// <summary>Encrypted when the client asks (smbclient --client-protection=encrypt, mount.cifs seal), else signed.</summary>
    Auto,
    /// <summary>The shares refuse unencrypted access (and so SMB 2.x clients, which cannot encrypt).</summary>
    Required,
}

/// <summary>The SMB server (SMB 2.0.2 to 3.1.1 on one TCP port).</summary>
public sealed record SmbOptions
{
    public const int DefaultPort = 445;

    /// <summary>TCP port; 0 picks a free one (printed at start).</summary>
    public int Port { get; init; } = DefaultPort;
    public SmbEncryption Encryption { get; init; } = SmbEncryption.Auto;
}
