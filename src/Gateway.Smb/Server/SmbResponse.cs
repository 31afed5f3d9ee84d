using System.Buffers;
using Gateway.Smb.Protocol;

namespace Gateway.Smb.Server;

/// <summary>
/// One command's response: a status and a body written after 64 reserved bytes, so the connection
/// writes the header in place and pads, signs and sends without copying. The buffer is pooled.
/// </summary>
internal sealed class SmbResponse : IDisposable
{
    public const int Slack = 8; // compound padding

    private byte[]? _buffer;

    private SmbResponse(uint status, int bodyCapacity)
    {
        Status = status;
        _buffer = ArrayPool<byte>.Shared.Rent(Smb2Header.Size + bodyCapacity + Slack);
        Array.Clear(_buffer, 0, Smb2Header.Size + bodyCapacity + Slack);
    }

    public uint Status { get; set; }

    public int BodyLength { get; set; }

    /// <summary>Set on a CREATE success: the FileId later related compound members inherit.</summary>
    public (ulong Persistent, ulong Volatile)? CreatedFileId { get; set; }

    /// <summary>For SESSION_SETUP: the session whose key signs this response (even when the request was unsigned).</summary>
    public SmbSession? SignWith { get; set; }

    /// <summary>Don't sign even if the rules would (SESSION_SETUP in progress, anonymous).</summary>
    public bool NeverSign { get; set; }

    /// <summary>Called with the finished message (header written, signed) just before it is sent: preauth hashing.</summary>
    public Action<ReadOnlySpan<byte>>? OnSent { get; set; }

    /// <summary>No response at all (CANCEL).</summary>
    public bool Suppress { get; init; }

    public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(SmbResponse));

    public Span<byte> Body => Buffer.AsSpan(Smb2Header.Size, Buffer.Length - Smb2Header.Size - Slack);

    public int MessageLength => Smb2Header.Size + BodyLength;

    public static SmbResponse Create(int bodyCapacity, uint status = NtStatus.Success) => new(status, bodyCapacity);

    public static SmbResponse Ok(int bodyLength, uint status = NtStatus.Success) => new(status, bodyLength) { BodyLength = bodyLength };

    /// <summary>SMB2 ERROR Response (2.2.2): StructureSize 9, no error contexts, one byte of ErrorData.</summary>
    public static SmbResponse Error(uint status)
    {
        var r = new SmbResponse(status, 9) { BodyLength = 9 };
        Wire.U16(r.Body, 0, 9);
        return r;
    }

    /// <summary>ERROR Response carrying 4 bytes of ErrorData: the buffer size needed (STATUS_BUFFER_TOO_SMALL).</summary>
    public static SmbResponse ErrorWithSize(uint status, uint needed)
    {
        var r = new SmbResponse(status, 12) { BodyLength = 12 };
        Wire.U16(r.Body, 0, 9);
        Wire.U32(r.Body, 4, 4);
        Wire.U32(r.Body, 8, needed);
        return r;
    }

    /// <summary>A response with only a StructureSize (and zero reserved bytes): LOGOFF, ECHO, TREE_DISCONNECT, FLUSH, LOCK.</summary>
    public static SmbResponse Empty(ushort structureSize = 4)
    {
        var r = new SmbResponse(NtStatus.Success, structureSize) { BodyLength = structureSize & ~1 };
        Wire.U16(r.Body, 0, structureSize);
        return r;
    }

    public static SmbResponse None() => new(NtStatus.Success, 0) { Suppress = true };

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
            ArrayPool<byte>.Shared.Return(b);
    }
}
