using System.Buffers.Binary;

namespace Gateway.Smb.DceRpc;

/// <summary>
/// The 16-byte common header of every connection-oriented PDU (C706 12.6.3.1):
/// <code>
///  0 rpc_vers=5  1 rpc_vers_minor=0|1  2 PTYPE  3 pfc_flags  4 packed_drep[4]
///  8 frag_length(2)  10 auth_length(2)  12 call_id(4)
/// </code>
/// packed_drep[0] high nibble: integer representation (1 = little-endian), low nibble: character set
/// (0 = ASCII). The multi-byte header fields follow that integer representation.
/// </summary>
internal readonly record struct PduHeader(byte MinorVersion, DcePduType Type, byte Flags, byte Drep0, ushort FragLength, ushort AuthLength, uint CallId)
{
    public const int Size = 16;
    public const byte LittleEndianAscii = 0x10;

    public bool IsLittleEndian => (Drep0 & 0xF0) == 0x10;

    /// <summary>Supported data representation: little-endian integers, ASCII characters (floats do not occur in srvsvc).</summary>
    public bool IsSupportedDrep => Drep0 == LittleEndianAscii;

    /// <summary>False when fewer than 16 bytes or not a DCE/RPC 5.x connection-oriented header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> b, out PduHeader header)
    {
        header = default;
        if (b.Length < Size || b[0] != 5) return false;
        bool little = (b[4] & 0xF0) == 0x10;
        ushort frag = little ? BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(8)) : BinaryPrimitives.ReadUInt16BigEndian(b.Slice(8));
        ushort auth = little ? BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(10)) : BinaryPrimitives.ReadUInt16BigEndian(b.Slice(10));
        uint call = little ? BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(12)) : BinaryPrimitives.ReadUInt32BigEndian(b.Slice(12));
        header = new PduHeader(b[1], (DcePduType)b[2], b[3], b[4], frag, auth, call);
        return true;
    }

    /// <summary>Writes a little-endian ASCII header for a PDU we send (version 5.0).</summary>
    public static void Write(Span<byte> b, DcePduType type, byte flags, int fragLength, uint callId)
    {
        b[0] = 5;
        b[1] = 0;
        b[2] = (byte)type;
        b[3] = flags;
        b[4] = LittleEndianAscii;
        b[5] = 0;
        b[6] = 0;
        b[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(8), (ushort)fragLength);
        BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(10), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(b.Slice(12), callId);
    }
}
