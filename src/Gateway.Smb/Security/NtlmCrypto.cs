using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Gateway.Smb.Security;

/// <summary>The MS-NLMP 3.3.2 / 3.4.5 primitives, NTLMv2 and extended session security only.</summary>
internal static class NtlmCrypto
{
    private static ReadOnlySpan<byte> ClientSignMagic => "session key to client-to-server signing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ServerSignMagic => "session key to server-to-client signing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ClientSealMagic => "session key to client-to-server sealing key magic constant\0"u8;

    private static ReadOnlySpan<byte> ServerSealMagic => "session key to server-to-client sealing key magic constant\0"u8;

    public static byte[] HmacMd5(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACMD5.HashData(key, data);

    /// <summary>NTOWFv2 = HMAC-MD5(NT hash, UTF-16LE(UPPER(user) + domain)); the domain keeps its case.</summary>
    public static byte[] NtowfV2(ReadOnlySpan<byte> ntHash, string user, string domain)
    {
        byte[] identity = Encoding.Unicode.GetBytes(user.ToUpperInvariant() + domain);
        return HmacMd5(ntHash, identity);
    }

    /// <summary>NTProofStr = HMAC-MD5(ResponseKeyNT, ServerChallenge || temp).</summary>
    public static byte[] NtProofStr(ReadOnlySpan<byte> responseKeyNt, ReadOnlySpan<byte> serverChallenge, ReadOnlySpan<byte> temp)
    {
        byte[] input = new byte[serverChallenge.Length + temp.Length];
        serverChallenge.CopyTo(input);
        temp.CopyTo(input.AsSpan(serverChallenge.Length));
        return HmacMd5(responseKeyNt, input);
    }

    /// <summary>RC4 of data under key (one fresh cipher stream).</summary>
    public static byte[] Rc4(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var rc4 = new Rc4Stream(key);
        byte[] output = data.ToArray();
        rc4.Process(output);
        return output;
    }

    public static byte[] SignKey(ReadOnlySpan<byte> exportedSessionKey, bool clientToServer) =>
        Md5Concat(exportedSessionKey, clientToServer ? ClientSignMagic : ServerSignMagic);

    /// <summary>SEALKEY with extended session security: 128-bit, 56-bit or 40-bit depending on the flags.</summary>
    public static byte[] SealKey(ReadOnlySpan<byte> exportedSessionKey, NtlmFlags flags, bool clientToServer)
    {
        int length = (flags & NtlmFlags.Negotiate128) != 0 ? 16 : (flags & NtlmFlags.Negotiate56) != 0 ? 7 : 5;
        return Md5Concat(exportedSessionKey[..length], clientToServer ? ClientSealMagic : ServerSealMagic);
    }

    private static byte[] Md5Concat(ReadOnlySpan<byte> key, ReadOnlySpan<byte> magic)
    {
        byte[] input = new byte[key.Length + magic.Length];
        key.CopyTo(input);
        magic.CopyTo(input.AsSpan(key.Length));
        return MD5.HashData(input);
    }

    /// <summary>An RC4 keystream that keeps its state between calls (the NTLM "sealing handle").</summary>
    internal sealed class Rc4Stream
    {
        private readonly RC4Engine _engine = new();

        public Rc4Stream(ReadOnlySpan<byte> key)
        {
            _engine.Init(true, new KeyParameter(key));
        }

        public void Process(Span<byte> data)
        {
            if (!data.IsEmpty)
            {
                _engine.ProcessBytes(data, data);
            }
        }
    }
}
