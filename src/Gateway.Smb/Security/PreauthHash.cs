using System.Security.Cryptography;

namespace Gateway.Smb.Security;

/// <summary>
/// SMB 3.1.1 pre-authentication integrity (MS-SMB2 3.2.5.2 / 3.3.5.4): H starts as 64 zero bytes and every
/// NEGOTIATE and SESSION_SETUP message (except the final SUCCESS response) is folded in as H = SHA-512(H || message).
/// The connection keeps one after NEGOTIATE; each session setup clones it and carries on.
/// </summary>
public sealed class PreauthHash
{
    public const int Size = 64;

    private readonly byte[] _value;

    public PreauthHash()
    {
        _value = new byte[Size];
    }

    private PreauthHash(byte[] value)
    {
        _value = value;
    }

    public ReadOnlySpan<byte> Value => _value;

    public void Update(ReadOnlySpan<byte> message)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData(_value);
        sha.AppendData(message);
        if (!sha.TryGetHashAndReset(_value, out int written) || written != Size)
        {
            throw new CryptographicException("SHA-512 produced an unexpected length.");
        }
    }

    public PreauthHash Clone() => new((byte[])_value.Clone());
}
