namespace Gateway.Smb.Server;

/// <summary>Share names, case-insensitive; IPC$ is implicit.</summary>
internal sealed class SmbShareTable
{
    private readonly Dictionary<string, SmbShare> _byName = new(StringComparer.OrdinalIgnoreCase);

    public SmbShareTable(IReadOnlyList<SmbShare> shares)
    {
        foreach (var s in shares)
        {
            if (string.Equals(s.Name, "IPC$", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("IPC$ is reserved", nameof(shares));
            _byName.Add(s.Name, s);
        }
        All = shares;
        AnyRequiresEncryption = shares.Any(s => s.EncryptionRequired);
    }

    public IReadOnlyList<SmbShare> All { get; }

    public bool AnyRequiresEncryption { get; }

    public SmbShare? Find(string name) => _byName.TryGetValue(name, out var s) ? s : null;
}
