namespace Gateway.Smb;

public sealed record SmbServerOptions
{
    public required IReadOnlyList<SmbShare> Shares { get; init; }
    public required Gateway.Smb.Security.ISmbUserDirectory Users { get; init; }
    /// <summary>NetBIOS name, upper case. Who an authenticated user acts as on disk is the SmbUser's Uid/Gid.</summary>
    public string ServerName { get; init; } = "GATEWAY";
    public string DomainName { get; init; } = "WORKGROUP";
    /// <summary>The host persists it, so clients see the same server across restarts.</summary>
    public Guid ServerGuid { get; init; }
    /// <summary>Signing required for user sessions (anonymous/guest sessions have no key to sign with).</summary>
    public bool SigningRequired { get; init; } = true;
    /// <summary>Anonymous/guest sessions; refused (LOGON_FAILURE) when false.</summary>
    public bool AllowGuest { get; init; }
    /// <summary>Largest READ/WRITE/transact; messages above it (plus header room) drop the connection.</summary>
    public int MaxIo { get; init; } = 8 * 1024 * 1024;
    public Action<string> Log { get; init; } = _ => { };
}
