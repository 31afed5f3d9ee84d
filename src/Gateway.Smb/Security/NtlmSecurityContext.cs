using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>
/// NTLM message integrity after authentication (MS-NLMP 3.4.4.2, extended session security): each direction
/// has a sign key, a seal key with its RC4 handle, and a sequence number starting at 0. A signature is
/// Version (1) || first 8 bytes of HMAC-MD5(SignKey, SeqNum || message), RC4'd with the sealing handle when
/// KEY_EXCH was negotiated || SeqNum. SPNEGO uses it once per direction, for the mechListMIC: the client signs
/// with its keys and sequence 0, the server answers with the server-to-client keys and its own sequence 0
/// (the two directions count separately; that is what Windows and Samba put on the wire).
/// </summary>
internal sealed class NtlmSecurityContext
{
    public const int SignatureSize = 16;

    private readonly NtlmFlags _flags;
    private readonly byte[] _sendSignKey;
    private readonly byte[] _receiveSignKey;
    private readonly NtlmCrypto.Rc4Stream _sendSeal;
    private readonly NtlmCrypto.Rc4Stream _receiveSeal;
    private uint _sendSequence;
    private uint _receiveSequence;

    public NtlmSecurityContext(ReadOnlySpan<byte> exportedSessionKey, NtlmFlags flags, bool isServer)
    {
        _flags = flags;
        _sendSignKey = NtlmCrypto.SignKey(exportedSessionKey, clientToServer: !isServer);
        _receiveSignKey = NtlmCrypto.SignKey(exportedSessionKey, clientToServer: isServer);
        _sendSeal = new NtlmCrypto.Rc4Stream(NtlmCrypto.SealKey(exportedSessionKey, flags, clientToServer: !isServer));
        _receiveSeal = new NtlmCrypto.Rc4Stream(NtlmCrypto.SealKey(exportedSessionKey, flags, clientToServer: isServer));
    }

    /// <summary>GSS_GetMIC for an outgoing message.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => MakeSignature(_sendSignKey, _sendSeal, _sendSequence++, message);

    /// <summary>GSS_VerifyMIC for an incoming message; advances the receive sequence either way.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        byte[] expected = MakeSignature(_receiveSignKey, _receiveSeal, _receiveSequence++, message);
        return signature.Length == SignatureSize && CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    /// <summary>Encrypts outgoing data with the sending RC4 handle (GSS_Wrap's first half). Tests use it for the
    /// MS-NLMP 4.2.4.4 vector, where the checksum is sealed with the same, continuing handle.</summary>
    internal void SealOutgoing(Span<byte> data) => _sendSeal.Process(data);

    private byte[] MakeSignature(byte[] signKey, NtlmCrypto.Rc4Stream seal, uint sequence, ReadOnlySpan<byte> message)
    {
        byte[] input = new byte[4 + message.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(input, sequence);
        message.CopyTo(input.AsSpan(4));
        byte[] hmac = NtlmCrypto.HmacMd5(signKey, input);

        byte[] signature = new byte[SignatureSize];
        BinaryPrimitives.WriteUInt32LittleEndian(signature, 1);
        hmac.AsSpan(0, 8).CopyTo(signature.AsSpan(4));
        if ((_flags & NtlmFlags.KeyExchange) != 0)
        {
            seal.Process(signature.AsSpan(4, 8));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(signature.AsSpan(12), sequence);
        return signature;
    }
}
