using Gateway.Smb.DceRpc;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Server;

/// <summary>
/// One CREATE's open. Persistent FileId = the NodeId (what Windows calls the on-disk id); volatile
/// FileId = a random 64-bit value, the open's real identity, unguessable and bound to its session.
/// </summary>
internal sealed class SmbOpen
{
    public required ulong PersistentId { get; init; }
    public required ulong VolatileId { get; init; }
    public required SmbSession Session { get; init; }
    public required SmbTree Tree { get; init; }
    public IVfs? Vfs { get; init; }
    public NodeId Node { get; init; }
    /// <summary>Where the open's name lives; updated by a rename through this open.</summary>
    public NodeId Parent { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Path from the share root with '\\' separators ("" for the root).</summary>
    public string Path { get; set; } = "";
    public bool IsDirectory { get; init; }
    public uint Access { get; init; }
    public uint Mode { get; set; }
    public long Position { get; set; }
    public LockOwner Owner { get; init; }
    public bool HasShareReservation { get; init; }
    public NamedPipeEndpoint? Pipe { get; init; }
    public string? PipeName { get; init; }
    public NodeOpenState? NodeState { get; init; }

    /// <summary>This open asked for delete-on-close (CREATE option or FILE_DISPOSITION_ON_CLOSE).</summary>
    public bool DeleteOnClose { get; set; }

    public DirectoryScan? Scan { get; set; }
    public readonly object Gate = new();
    public ChangeWatch? Watch { get; set; }
    public int Closed;

    public bool IsClosed => Volatile.Read(ref Closed) != 0;

    public bool Has(uint rights) => (Access & rights) != 0;
}
