using System.Buffers.Binary;

namespace Gateway.Smb.Protocol;

// MS-SMB2 2.2.1.2 SMB2 Packet Header - SYNC (2.2.1.1 ASYNC replaces Reserved+TreeId by AsyncId):
//
//   0 ProtocolId 0xFE 'S' 'M' 'B'   4 StructureSize (64)   6 CreditCharge
//   8 Status (responses) / ChannelSequence+Reserved (requests)
//  12 Command   14 CreditRequest/CreditResponse   16 Flags   20 NextCommand
//  24 MessageId (8)   32 Reserved (4) | AsyncId (8)   36 TreeId (4)   40 SessionId (8)
//  48 Signature (16)
/// <summary>One SMB2 header read from the wire; validated for size and protocol id only.</summary>
internal readonly struct Smb2Header
{
    public const int Size = 64;
    public const uint ProtocolId = 0x424D53FE;         // 0xFE 'S' 'M' 'B' little-endian
    public const uint TransformProtocolId = 0x424D53FD;
    public const uint Smb1ProtocolId = 0x424D53FF;

    public const uint FlagServerToRedir = 0x1;
    public const uint FlagAsync = 0x2;
    public const uint FlagRelated = 0x4;
    public const uint FlagSigned = 0x8;
    public const uint FlagPriorityMask = 0x70;
    public const uint FlagDfs = 0x10000000;
    public const uint FlagReplay = 0x20000000;

    public const int StatusOffset = 8;
    public const int FlagsOffset = 16;
    public const int NextCommandOffset = 20;
    public const int MessageIdOffset = 24;
    public const int SignatureOffset = 48;

    public ushort CreditCharge { get; init; }
    public uint Status { get; init; }
    public Smb2Command Command { get; init; }
    public ushort CreditRequest { get; init; }
    public uint Flags { get; init; }
    public uint NextCommand { get; init; }
    public ulong MessageId { get; init; }
    public ulong AsyncId { get; init; }
    public uint ProcessId { get; init; }
    public uint TreeId { get; init; }
    public ulong SessionId { get; init; }

    public bool IsAsync => (Flags & FlagAsync) != 0;
    public bool IsRelated => (Flags & FlagRelated) != 0;
    public bool IsSigned => (Flags & FlagSigned) != 0;

    public static bool TryRead(ReadOnlySpan<byte> b, out Smb2Header header)
    {
        header = default;
        if (b.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(b) != ProtocolId
            || BinaryPrimitives.ReadUInt16LittleEndian(b[4..]) != Size)
            return false;
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
        var async = (flags & FlagAsync) != 0;
        header = new Smb2Header
        {
            CreditCharge = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]),
            Status = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]),
            Command = (Smb2Command)BinaryPrimitives.ReadUInt16LittleEndian(b[12..]),
            CreditRequest = BinaryPrimitives.ReadUInt16LittleEndian(b[14..]),
            Flags = flags,
            NextCommand = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
            MessageId = BinaryPrimitives.ReadUInt64LittleEndian(b[24..]),
            AsyncId = async ? BinaryPrimitives.ReadUInt64LittleEndian(b[32..]) : 0,
            ProcessId = async ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(b[32..]),
            TreeId = async ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(b[36..]),
            SessionId = BinaryPrimitives.ReadUInt64LittleEndian(b[40..]),
        };
        return true;
    }

    /// <summary>Writes a response header; the signature is left zero (the signer fills it).</summary>
    public static void WriteResponse(Span<byte> b, Smb2Command command, uint status, ushort creditCharge, ushort credits,
        uint flags, ulong messageId, ulong asyncId, uint processId, uint treeId, ulong sessionId)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b, ProtocolId);
        BinaryPrimitives.WriteUInt16LittleEndian(b[4..], Size);
        BinaryPrimitives.WriteUInt16LittleEndian(b[6..], creditCharge);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], status);
        BinaryPrimitives.WriteUInt16LittleEndian(b[12..], (ushort)command);
        BinaryPrimitives.WriteUInt16LittleEndian(b[14..], credits);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], flags | FlagServerToRedir);
        BinaryPrimitives.WriteUInt64LittleEndian(b[24..], messageId);
        if ((flags & FlagAsync) != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b[32..], asyncId);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b[32..], processId);
            BinaryPrimitives.WriteUInt32LittleEndian(b[36..], treeId);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(b[40..], sessionId);
    }

    public static void SetNextCommand(Span<byte> b, uint next) => BinaryPrimitives.WriteUInt32LittleEndian(b[20..], next);
}
