using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>
/// SMB 3.x message encryption (MS-SMB2 3.1.4.3 / 3.3.5.2.1). The SMB2 TRANSFORM_HEADER, 52 bytes:
///
///   0  ProtocolId 0xFD 'S' 'M' 'B'      4  Signature (the AEAD tag, 16)   20 Nonce (16: CCM uses 11, GCM 12)
///   36 OriginalMessageSize (4)          40 Reserved (2)                   42 Flags/EncryptionAlgorithm = 1
///   44 SessionId (8)
///
/// The AEAD's associated data is the header from offset 20 (Nonce .. SessionId, 32 bytes).
/// Nonces: a random salt fixed per instance followed by a 64-bit counter that starts at a random value, so they
/// never repeat within an instance (2^64 messages before it refuses), and two instances sharing a key (channels
/// of one session) would need equal salts and overlapping counter ranges to collide (about 2^-88 per message
/// for CCM's 11-byte nonce). Still, prefer one SmbCipher per session key.
/// </summary>
public sealed class SmbCipher : IDisposable
{
    public const int TransformHeaderSize = 52;
    public const int TagSize = 16;

    private const uint TransformProtocolId = 0x424D53FD; // 0xFD 'S' 'M' 'B' read little-endian
    private const int SignatureOffset = 4;
    private const int NonceOffset = 20;
    private const int NonceFieldSize = 16;
    private const int OriginalMessageSizeOffset = 36;
    private const int FlagsOffset = 42;
    private const int SessionIdOffset = 44;
    private const int AadOffset = 20;
    private const ushort FlagEncrypted = 0x0001;

    private readonly CipherId _cipher;
    private readonly AesCcm? _ccm;
    private readonly AesGcm? _gcm;
    private readonly int _nonceLength;
    private readonly byte[] _salt;
    private readonly object _gate = new();
    private readonly ulong _counterStart;
    private ulong _issued;
    private bool _disposed;

    public SmbCipher(CipherId cipher, ReadOnlySpan<byte> key)
    {
        int keyLength = cipher switch
        {
            CipherId.Aes128Ccm or CipherId.Aes128Gcm => 16,
            CipherId.Aes256Ccm or CipherId.Aes256Gcm => 32,
            _ => throw new ArgumentOutOfRangeException(nameof(cipher), cipher, "Unknown cipher."),
        };
        if (key.Length != keyLength)
        {
            throw new ArgumentException($"{cipher} takes a {keyLength}-byte key, not {key.Length}.", nameof(key));
        }

        _cipher = cipher;
        if (cipher is CipherId.Aes128Ccm or CipherId.Aes256Ccm)
        {
            _ccm = new AesCcm(key);
            _nonceLength = 11;
        }
        else
        {
            _gcm = new AesGcm(key, TagSize);
            _nonceLength = 12;
        }

        // The counter fills the last 8 nonce bytes; the rest (3 for CCM, 4 for GCM) is the per-instance salt.
        _salt = RandomNumberGenerator.GetBytes(_nonceLength - 8);
        _counterStart = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    }

    public CipherId Cipher => _cipher;

    /// <summary>
    /// destination.Length must be TransformHeaderSize + message.Length. Writes the TRANSFORM_HEADER and the
    /// ciphertext.
    /// </summary>
    public void Encrypt(ReadOnlySpan<byte> message, ulong sessionId, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[NonceFieldSize];
        nonce.Clear();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_issued == ulong.MaxValue)
            {
                // 2^64 messages under one key: unreachable in practice, but never wrap into a reused nonce.
                throw new CryptographicException("Nonce space exhausted for this key; re-key the session.");
            }

            _salt.CopyTo(nonce);
            BinaryPrimitives.WriteUInt64LittleEndian(nonce[_salt.Length..], unchecked(_counterStart + _issued));
            _issued++;
        }

        EncryptWithNonce(message, sessionId, nonce, destination);
    }

    /// <summary>Encrypts with a given 16-byte nonce field (its first 11 or 12 bytes are the AEAD nonce). Tests use it
    /// to reproduce published vectors; production code goes through Encrypt.</summary>
    internal void EncryptWithNonce(ReadOnlySpan<byte> message, ulong sessionId, ReadOnlySpan<byte> nonceField, Span<byte> destination)
    {
        if (message.IsEmpty)
        {
            throw new ArgumentException("Nothing to encrypt.", nameof(message));
        }

        if (destination.Length != TransformHeaderSize + message.Length)
        {
            throw new ArgumentException("destination must be TransformHeaderSize + message.Length bytes.", nameof(destination));
        }

        if (nonceField.Length != NonceFieldSize)
        {
            throw new ArgumentException("The nonce field is 16 bytes.", nameof(nonceField));
        }

        Span<byte> header = destination[..TransformHeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, TransformProtocolId);
        nonceField.CopyTo(header[NonceOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[OriginalMessageSizeOffset..], (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[FlagsOffset..], FlagEncrypted);
        BinaryPrimitives.WriteUInt64LittleEndian(header[SessionIdOffset..], sessionId);

        ReadOnlySpan<byte> nonce = header.Slice(NonceOffset, _nonceLength);
        ReadOnlySpan<byte> aad = header[AadOffset..];
        Span<byte> tag = header.Slice(SignatureOffset, TagSize);
        Span<byte> ciphertext = destination[TransformHeaderSize..];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ccm is not null)
            {
                _ccm.Encrypt(nonce, message, ciphertext, tag, aad);
            }
            else
            {
                _gcm!.Encrypt(nonce, message, ciphertext, tag, aad);
            }
        }
    }

    /// <summary>
    /// transformed = transform header + ciphertext, exactly (OriginalMessageSize must equal the bytes after the
    /// header). plaintext.Length must be at least OriginalMessageSize. False when malformed or when
    /// authentication fails; never throws on bad input.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> transformed, Span<byte> plaintext, out int plaintextLength)
    {
        plaintextLength = 0;
        if (!TryReadHeader(transformed, out _, out int size) || size != transformed.Length - TransformHeaderSize || plaintext.Length < size)
        {
            return false;
        }

        ReadOnlySpan<byte> header = transformed[..TransformHeaderSize];
        ReadOnlySpan<byte> nonce = header.Slice(NonceOffset, _nonceLength);
        ReadOnlySpan<byte> tag = header.Slice(SignatureOffset, TagSize);
        ReadOnlySpan<byte> aad = header[AadOffset..];
        Span<byte> output = plaintext[..size];
        try
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                if (_ccm is not null)
                {
                    _ccm.Decrypt(nonce, transformed[TransformHeaderSize..], tag, output, aad);
                }
                else
                {
                    _gcm!.Decrypt(nonce, transformed[TransformHeaderSize..], tag, output, aad);
                }
            }
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException derives from it; the BCL already zeroed the output.
            output.Clear();
            return false;
        }

        plaintextLength = size;
        return true;
    }

    /// <summary>Reads SessionId/OriginalMessageSize from a transform header without decrypting (false if malformed).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> transformed, out ulong sessionId, out int originalMessageSize)
    {
        sessionId = 0;
        originalMessageSize = 0;
        if (transformed.Length < TransformHeaderSize
            || BinaryPrimitives.ReadUInt32LittleEndian(transformed) != TransformProtocolId
            || BinaryPrimitives.ReadUInt16LittleEndian(transformed[FlagsOffset..]) != FlagEncrypted)
        {
            return false;
        }

        uint size = BinaryPrimitives.ReadUInt32LittleEndian(transformed[OriginalMessageSizeOffset..]);
        if (size == 0 || size > int.MaxValue - TransformHeaderSize)
        {
            return false;
        }

        sessionId = BinaryPrimitives.ReadUInt64LittleEndian(transformed[SessionIdOffset..]);
        originalMessageSize = (int)size;
        return true;
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
            _ccm?.Dispose();
            _gcm?.Dispose();
        }
    }
}
