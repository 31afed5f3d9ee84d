using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Smb.Security;

/// <summary>
/// MS-SMB2 3.1.4.1 message signing: the 16-byte Signature at header offset 48 is computed over the whole
/// message with the Signature field zeroed. HMAC-SHA256 (truncated to 16) for 2.x, AES-128-CMAC for 3.x,
/// AES-128-GMAC where SMB2_SIGNING_CAPABILITIES chose it. Not thread-safe: one per session/channel, used by
/// one sender at a time (the connection's send path); Verify and Sign may still be called from different
/// threads if the caller serialises them.
/// </summary>
public sealed class SmbSigner : IDisposable
{
    public const int HeaderSize = 64;
    public const int SignatureOffset = 48;
    public const int SignatureSize = 16;

    private const int FlagsOffset = 16;
    private const int CommandOffset = 12;
    private const int MessageIdOffset = 24;
    private const uint FlagServerToRedirector = 0x1;
    private const uint FlagSigned = 0x8;
    private const ushort CommandCancel = 0x000C;

    private readonly SigningAlgorithm _algorithm;
    private readonly byte[] _key;
    private readonly object _gate = new();
    private readonly IncrementalHash? _hmac;
    private readonly CMac? _cmac;
    private readonly AesGcm? _gmac;
    private bool _disposed;

    public SmbSigner(SigningAlgorithm algorithm, ReadOnlySpan<byte> signingKey)
    {
        if (signingKey.IsEmpty)
        {
            throw new ArgumentException("The signing key is empty.", nameof(signingKey));
        }

        _algorithm = algorithm;
        _key = signingKey.ToArray();
        switch (algorithm)
        {
            case SigningAlgorithm.HmacSha256:
                _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
                break;
            case SigningAlgorithm.AesCmac:
                if (_key.Length != 16)
                {
                    throw new ArgumentException("AES-CMAC signing takes a 16-byte key.", nameof(signingKey));
                }

                _cmac = CreateCmac(_key);
                break;
            case SigningAlgorithm.AesGmac:
                if (_key.Length != 16)
                {
                    throw new ArgumentException("AES-GMAC signing takes a 16-byte key.", nameof(signingKey));
                }

                _gmac = new AesGcm(_key, SignatureSize);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown signing algorithm.");
        }
    }

    public SigningAlgorithm Algorithm => _algorithm;

    /// <summary>AES-CMAC (RFC 4493) of a whole message, built exactly as the signer builds its CMAC; tests check it
    /// against the RFC's examples.</summary>
    internal static byte[] AesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        CMac cmac = CreateCmac(key.ToArray());
        cmac.BlockUpdate(message);
        byte[] mac = new byte[SignatureSize];
        cmac.DoFinal(mac);
        return mac;
    }

    private static CMac CreateCmac(byte[] key)
    {
        var cmac = new CMac(new AesEngine());
        cmac.Init(new KeyParameter(key));
        return cmac;
    }

    /// <summary>
    /// packet = one SMB2 message (64-byte header + body; for a compound member, just that member, padding
    /// included). Sets SMB2_FLAGS_SIGNED, zeroes then writes the Signature.
    /// </summary>
    public void Sign(Span<byte> packet)
    {
        if (packet.Length < HeaderSize)
        {
            throw new ArgumentException("An SMB2 message is at least 64 bytes.", nameof(packet));
        }

        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(packet[FlagsOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[FlagsOffset..], flags | FlagSigned);
        Span<byte> signature = packet.Slice(SignatureOffset, SignatureSize);
        signature.Clear();
        Span<byte> mac = stackalloc byte[SignatureSize];
        Compute(packet, mac);
        mac.CopyTo(signature);
    }

    /// <summary>True when the Signature matches. Does not modify the caller's bytes. False for short input.</summary>
    public bool Verify(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[SignatureSize];
        if (_algorithm != SigningAlgorithm.AesGmac)
        {
            // HMAC and CMAC are fed in pieces, so the zeroed Signature needs no copy of the packet.
            Compute(packet, mac);
            return CryptographicOperations.FixedTimeEquals(mac, packet.Slice(SignatureOffset, SignatureSize));
        }

        // AesGcm wants the associated data in one span: work on a pooled copy.
        byte[] copy = ArrayPool<byte>.Shared.Rent(packet.Length);
        try
        {
            Span<byte> work = copy.AsSpan(0, packet.Length);
            packet.CopyTo(work);
            work.Slice(SignatureOffset, SignatureSize).Clear();
            Compute(work, mac);
            return CryptographicOperations.FixedTimeEquals(mac, packet.Slice(SignatureOffset, SignatureSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _gmac?.Dispose();
            _hmac?.Dispose();
            CryptographicOperations.ZeroMemory(_key);
        }
    }

    // The MAC of packet as if its Signature field were zero (HMAC/CMAC skip over it; GMAC needs it zeroed already).
    private void Compute(ReadOnlySpan<byte> packet, Span<byte> mac)
    {
        ReadOnlySpan<byte> zeros = stackalloc byte[SignatureSize];
        ReadOnlySpan<byte> head = packet[..SignatureOffset];
        ReadOnlySpan<byte> tail = packet[(SignatureOffset + SignatureSize)..];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            switch (_algorithm)
            {
                case SigningAlgorithm.HmacSha256:
                {
                    _hmac!.AppendData(head);
                    _hmac.AppendData(zeros);
                    _hmac.AppendData(tail);
                    Span<byte> full = stackalloc byte[32];
                    _hmac.GetHashAndReset(full);
                    full[..SignatureSize].CopyTo(mac);
                    break;
                }

                case SigningAlgorithm.AesCmac:
                    _cmac!.BlockUpdate(head);
                    _cmac.BlockUpdate(zeros);
                    _cmac.BlockUpdate(tail);
                    _cmac.DoFinal(mac);
                    break;

                case SigningAlgorithm.AesGmac:
                {
                    // MS-SMB2 3.1.4.1: nonce = MessageId (8 bytes LE), then a 32-bit word whose bit 0 says the
                    // sender is the server and bit 1 that this is a CANCEL; GMAC = GCM over empty plaintext with
                    // the message as the additional data.
                    Span<byte> nonce = stackalloc byte[12];
                    packet.Slice(MessageIdOffset, 8).CopyTo(nonce);
                    uint flags = BinaryPrimitives.ReadUInt32LittleEndian(packet[FlagsOffset..]);
                    ushort command = BinaryPrimitives.ReadUInt16LittleEndian(packet[CommandOffset..]);
                    uint role = (flags & FlagServerToRedirector) != 0 ? 1u : 0u;
                    uint cancel = command == CommandCancel ? 2u : 0u;
                    BinaryPrimitives.WriteUInt32LittleEndian(nonce[8..], role | cancel);
                    _gmac!.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, mac, packet);
                    break;
                }
            }
        }
    }
}
