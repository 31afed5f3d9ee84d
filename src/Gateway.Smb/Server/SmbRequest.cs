using Gateway.Smb.Protocol;

namespace Gateway.Smb.Server;

/// <summary>
/// One command of a (possibly compound) request, as a handler sees it: the header, the member's
/// bytes (header included: buffer offsets on the wire count from the header), the session and
/// tree it runs in, and the ids a related compound member inherits.
/// </summary>
internal sealed class SmbRequest
{
    public const ulong RelatedFileId = ulong.MaxValue;

    private ulong _asyncId;

    public SmbRequest(SmbConnection connection, Smb2Header header, ReadOnlyMemory<byte> message, bool encrypted)
    {
        Connection = connection;
        Header = header;
        Message = message;
        Encrypted = encrypted;
        SessionId = header.SessionId;
        TreeId = header.TreeId;
    }

    public SmbConnection Connection { get; }
    public SmbServer Server => Connection.Server;
    public SmbServerOptions Options => Connection.Server.Options;
    public Smb2Header Header { get; }
    public ReadOnlyMemory<byte> Message { get; }
    public ReadOnlySpan<byte> Body => Message.Span[Smb2Header.Size..];
    public bool Encrypted { get; }
    public CancellationTokenSource Cancellation { get; } = new();
    public CancellationToken CancellationToken => Cancellation.Token;

    /// <summary>After related-compound substitution.</summary>
    public ulong SessionId { get; set; }
    public uint TreeId { get; set; }
    public (ulong Persistent, ulong Volatile)? InheritedFileId { get; set; }

    public SmbSession? Session { get; set; }
    public SmbTree? Tree { get; set; }

    /// <summary>Set by SESSION_SETUP / TREE_CONNECT for the response header.</summary>
    public ulong? ResponseSessionId { get; set; }
    public uint? ResponseTreeId { get; set; }

    /// <summary>The compound's responses not sent yet (flushed with this request's interim response).</summary>
    public (List<SmbRequest> Requests, List<SmbResponse> Responses)? Unsent { get; set; }

    /// <summary>Set when more members of the same compound come after this one.</summary>
    public bool HasFollowers { get; set; }

    /// <summary>This member wanted to go async in the middle of a compound and was stopped: answer STATUS_INTERNAL_ERROR.</summary>
    public bool AbandonedInCompound { get; private set; }

    public bool IsAsync => _asyncId != 0;
    public ulong AsyncId => _asyncId;

    /// <summary>
    /// Turns this request asynchronous: sends the STATUS_PENDING interim response with a new AsyncId
    /// (MS-SMB2 3.3.4.2); the final response follows when the handler returns.
    /// </summary>
    public ValueTask GoAsyncAsync()
    {
        if (_asyncId != 0)
            return ValueTask.CompletedTask;
        if (HasFollowers)
        {
            // Only the last member of a compound may go async (MS-SMB2 <159>/<162>: Windows fails a
            // middle one with STATUS_INTERNAL_ERROR and answers the rest; smbtorture smb2.compound.interim2).
            // Waiting here instead would hold back every member after it for as long as it waits.
            AbandonedInCompound = true;
            Cancellation.Cancel();
            return ValueTask.CompletedTask;
        }
        _asyncId = Connection.RegisterAsync(this);
        return Connection.SendInterimAsync(this);
    }

    /// <summary>Resolves a FileId from a body: the inherited one for 0xFFFF.. in a related compound, else the session's open.</summary>
    public SmbOpen? FindOpen(ReadOnlySpan<byte> fileId)
    {
        var persistent = Wire.U64(fileId, 0);
        var volatileId = Wire.U64(fileId, 8);
        if (persistent == RelatedFileId && volatileId == RelatedFileId)
        {
            if (InheritedFileId is not { } inherited)
                return null;
            (persistent, volatileId) = inherited;
        }
        if (Session is null || !Session.Opens.TryGetValue(volatileId, out var open) || open.PersistentId != persistent
            || open.IsClosed || (Tree is not null && open.Tree != Tree))
            return null;
        return open;
    }
}
