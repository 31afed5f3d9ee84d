using System.Buffers.Binary;
using System.Text;

namespace Gateway.Smb.Security;

/// <summary>AV_PAIR ids (MS-NLMP 2.2.2.1).</summary>
internal enum AvId : ushort
{
    Eol = 0,
    NbComputerName = 1,
    NbDomainName = 2,
    DnsComputerName = 3,
    DnsDomainName = 4,
    DnsTreeName = 5,
    Flags = 6,
    Timestamp = 7,
    SingleHost = 8,
    TargetName = 9,
    ChannelBindings = 10,
}

/// <summary>A parsed AUTHENTICATE_MESSAGE: slices of the caller's buffer, valid while it is.</summary>
internal readonly ref struct NtlmAuthenticate
{
    public required ReadOnlySpan<byte> LmResponse { get; init; }

    public required ReadOnlySpan<byte> NtResponse { get; init; }

    public required string Domain { get; init; }

    public required string User { get; init; }

    public required string Workstation { get; init; }

    public required ReadOnlySpan<byte> EncryptedRandomSessionKey { get; init; }

    public required NtlmFlags Flags { get; init; }

    /// <summary>Lowest payload offset: the fixed header ends there. A MIC (offset 72, 16 bytes) fits only when it is at least 88.</summary>
    public required int PayloadStart { get; init; }
}

/// <summary>
/// NTLMSSP message layouts (MS-NLMP 2.2.1). All three start with "NTLMSSP\0" and a 32-bit MessageType;
/// variable fields are (Len 16, MaxLen 16, Offset 32) triples pointing into the payload. Every offset and
/// length is checked against the message before it is sliced.
/// </summary>
internal static class NtlmMessages
{
    public const uint TypeNegotiate = 1;
    public const uint TypeChallenge = 2;
    public const uint TypeAuthenticate = 3;
    public const int MicOffset = 72;
    public const int MicSize = 16;
    public const int ChallengeHeaderSize = 56;
    public const int AuthenticateHeaderSize = 88; // with Version and MIC

    private static ReadOnlySpan<byte> Signature => "NTLMSSP\0"u8;

    /// <summary>Version structure we put in CHALLENGE: Windows 10.0 build 20348, NTLMSSP revision 15.</summary>
    private static ReadOnlySpan<byte> ServerVersion => [10, 0, 0x7C, 0x4F, 0, 0, 0, 0x0F];

    public static bool IsNtlmssp(ReadOnlySpan<byte> token) => token.Length >= 12 && token.StartsWith(Signature);

    public static uint MessageType(ReadOnlySpan<byte> token) => BinaryPrimitives.ReadUInt32LittleEndian(token[8..]);

    /// <summary>NEGOTIATE_MESSAGE: only the flags matter to the server. Old clients send 16-byte ones.</summary>
    public static bool TryParseNegotiate(ReadOnlySpan<byte> token, out NtlmFlags flags)
    {
        flags = NtlmFlags.None;
        if (token.Length < 16 || !IsNtlmssp(token) || MessageType(token) != TypeNegotiate)
        {
            return false;
        }

        flags = (NtlmFlags)BinaryPrimitives.ReadUInt32LittleEndian(token[12..]);
        return true;
    }

    /// <summary>
    /// The flags the server answers with: what we always do (NTLM, NTLMv2 via extended session security,
    /// 128/56-bit, VERSION, TARGET_INFO, Unicode, always-sign) plus what the client asked for among SIGN, SEAL,
    /// KEY_EXCH and REQUEST_TARGET.
    /// </summary>
    public static NtlmFlags ChallengeFlags(NtlmFlags requested)
    {
        NtlmFlags flags = NtlmFlags.Unicode | NtlmFlags.Ntlm | NtlmFlags.AlwaysSign | NtlmFlags.TargetTypeServer
            | NtlmFlags.ExtendedSessionSecurity | NtlmFlags.TargetInfo | NtlmFlags.Version
            | NtlmFlags.Negotiate128 | NtlmFlags.Negotiate56 | NtlmFlags.RequestTarget;
        flags |= requested & (NtlmFlags.Sign | NtlmFlags.Seal | NtlmFlags.KeyExchange);
        return flags;
    }

    /// <summary>Target info: NetBIOS domain/computer, DNS domain/computer, the timestamp, EOL.</summary>
    public static byte[] BuildTargetInfo(string nbDomain, string nbComputer, string dnsDomain, string dnsComputer, long fileTime)
    {
        var pairs = new List<(AvId Id, byte[] Value)>
        {
            (AvId.NbDomainName, Encoding.Unicode.GetBytes(nbDomain)),
            (AvId.NbComputerName, Encoding.Unicode.GetBytes(nbComputer)),
            (AvId.DnsDomainName, Encoding.Unicode.GetBytes(dnsDomain)),
            (AvId.DnsComputerName, Encoding.Unicode.GetBytes(dnsComputer)),
        };
        byte[] time = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(time, fileTime);
        pairs.Add((AvId.Timestamp, time));

        int size = 4;
        foreach ((_, byte[] value) in pairs)
        {
            size += 4 + value.Length;
        }

        byte[] info = new byte[size];
        int at = 0;
        foreach ((AvId id, byte[] value) in pairs)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(at), (ushort)id);
            BinaryPrimitives.WriteUInt16LittleEndian(info.AsSpan(at + 2), checked((ushort)value.Length));
            value.CopyTo(info, at + 4);
            at += 4 + value.Length;
        }

        return info; // the last 4 bytes stay zero: MsvAvEOL
    }

    /// <summary>CHALLENGE_MESSAGE: 56-byte header (with Version), then TargetName and TargetInfo.</summary>
    public static byte[] BuildChallenge(NtlmFlags flags, ReadOnlySpan<byte> serverChallenge, string targetName, ReadOnlySpan<byte> targetInfo)
    {
        byte[] name = Encoding.Unicode.GetBytes(targetName);
        byte[] message = new byte[ChallengeHeaderSize + name.Length + targetInfo.Length];
        Span<byte> m = message;
        Signature.CopyTo(m);
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], TypeChallenge);
        WriteField(m[12..], name.Length, ChallengeHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(m[20..], (uint)flags);
        serverChallenge.CopyTo(m[24..]);
        WriteField(m[40..], targetInfo.Length, ChallengeHeaderSize + name.Length);
        ServerVersion.CopyTo(m[48..]);
        name.CopyTo(m[ChallengeHeaderSize..]);
        targetInfo.CopyTo(m[(ChallengeHeaderSize + name.Length)..]);
        return message;
    }

    /// <summary>AUTHENTICATE_MESSAGE with bounds-checked fields. False when malformed.</summary>
    public static bool TryParseAuthenticate(ReadOnlySpan<byte> token, out NtlmAuthenticate message)
    {
        message = default;
        const int MinimumHeader = 64; // through NegotiateFlags; Version and MIC are optional
        if (token.Length < MinimumHeader || !IsNtlmssp(token) || MessageType(token) != TypeAuthenticate)
        {
            return false;
        }

        int payloadStart = token.Length;
        if (!TryField(token, 12, ref payloadStart, out ReadOnlySpan<byte> lm)
            || !TryField(token, 20, ref payloadStart, out ReadOnlySpan<byte> nt)
            || !TryField(token, 28, ref payloadStart, out ReadOnlySpan<byte> domain)
            || !TryField(token, 36, ref payloadStart, out ReadOnlySpan<byte> user)
            || !TryField(token, 44, ref payloadStart, out ReadOnlySpan<byte> workstation)
            || !TryField(token, 52, ref payloadStart, out ReadOnlySpan<byte> sessionKey))
        {
            return false;
        }

        if (payloadStart < MinimumHeader)
        {
            return false; // a field overlapping the fixed header
        }

        var flags = (NtlmFlags)BinaryPrimitives.ReadUInt32LittleEndian(token[60..]);
        bool unicode = (flags & NtlmFlags.Unicode) != 0;
        if (!TryDecode(domain, unicode, out string? domainText)
            || !TryDecode(user, unicode, out string? userText)
            || !TryDecode(workstation, unicode, out string? workstationText))
        {
            return false;
        }

        message = new NtlmAuthenticate
        {
            LmResponse = lm,
            NtResponse = nt,
            Domain = domainText!,
            User = userText!,
            Workstation = workstationText!,
            EncryptedRandomSessionKey = sessionKey,
            Flags = flags,
            PayloadStart = payloadStart,
        };
        return true;
    }

    /// <summary>
    /// Finds an AV pair in an AV_PAIR list (the NTLMv2 response's, after its 28-byte fixed part). False when the
    /// list is malformed (a pair running past the end, or no EOL); found is false when it is well formed but
    /// lacks the id.
    /// </summary>
    public static bool TryFindAvPair(ReadOnlySpan<byte> list, AvId id, out bool found, out ReadOnlySpan<byte> value)
    {
        found = false;
        value = default;
        int at = 0;
        for (int count = 0; count < 256; count++)
        {
            if (list.Length - at < 4)
            {
                return false;
            }

            var pairId = (AvId)BinaryPrimitives.ReadUInt16LittleEndian(list[at..]);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(list[(at + 2)..]);
            if (pairId == AvId.Eol)
            {
                return true;
            }

            if (length > list.Length - at - 4)
            {
                return false;
            }

            if (pairId == id && !found)
            {
                found = true;
                value = list.Slice(at + 4, length);
            }

            at += 4 + length;
        }

        return false; // more pairs than any client sends
    }

    private static void WriteField(Span<byte> at, int length, int offset)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, checked((ushort)length));
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], (uint)offset);
    }

    private static bool TryField(ReadOnlySpan<byte> message, int fieldOffset, scoped ref int payloadStart, out ReadOnlySpan<byte> value)
    {
        value = default;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(message[fieldOffset..]);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(message[(fieldOffset + 4)..]);
        if (length == 0)
        {
            return true; // empty fields may carry any offset; clients put all sorts there
        }

        if (offset > (uint)message.Length || length > message.Length - (int)offset)
        {
            return false;
        }

        value = message.Slice((int)offset, length);
        payloadStart = Math.Min(payloadStart, (int)offset);
        return true;
    }

    private static bool TryDecode(ReadOnlySpan<byte> bytes, bool unicode, out string? text)
    {
        text = null;
        if (unicode)
        {
            if ((bytes.Length & 1) != 0)
            {
                return false;
            }

            text = Encoding.Unicode.GetString(bytes);
            return true;
        }

        text = Encoding.Latin1.GetString(bytes);
        return true;
    }
}
