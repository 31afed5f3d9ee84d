using System.Security.Cryptography;
using Gateway.Smb.Protocol;
using Gateway.Smb.Security;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.3 NEGOTIATE Request (StructureSize 36):
//   0 StructureSize  2 DialectCount  4 SecurityMode  6 Reserved  8 Capabilities  12 ClientGuid (16)
//  28 NegotiateContextOffset (4, 3.1.1) | ClientStartTime  32 NegotiateContextCount (2)  34 Reserved2  36 Dialects
// 2.2.4 NEGOTIATE Response (StructureSize 65):
//   0 StructureSize  2 SecurityMode  4 DialectRevision  6 NegotiateContextCount  8 ServerGuid (16)
//  24 Capabilities  28 MaxTransactSize  32 MaxReadSize  36 MaxWriteSize  40 SystemTime  48 ServerStartTime
//  56 SecurityBufferOffset  58 SecurityBufferLength  60 NegotiateContextOffset  64 Buffer
internal static class NegotiateCommand
{
    public const uint CapDfs = 0x1, CapLeasing = 0x2, CapLargeMtu = 0x4, CapMultiChannel = 0x8,
        CapPersistentHandles = 0x10, CapDirectoryLeasing = 0x20, CapEncryption = 0x40;
    public const ushort SigningEnabled = 0x1, SigningRequired = 0x2;
    public const ushort WildcardDialect = 0x02FF;

    private const ushort PreauthContext = 1, EncryptionContext = 2, SigningContext = 8;
    private const ushort Sha512 = 1;

    private static readonly ushort[] Supported = [0x0311, 0x0302, 0x0300, 0x0210, 0x0202];

    public static SmbResponse Handle(SmbRequest request)
    {
        var c = request.Connection;
        if (c.Negotiated && !c.WildcardNegotiated)
        {
            // A second NEGOTIATE on a connection: MS-SMB2 3.3.5.3.1 says disconnect.
            c.Abort();
            return SmbResponse.Error(NtStatus.InvalidParameter);
        }
        var body = request.Body;
        if (body.Length < 36 || Wire.U16(body, 0) != 36)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var count = Wire.U16(body, 2);
        if (count == 0 || body.Length < 36 + 2 * count)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var dialects = new ushort[count];
        for (var i = 0; i < count; i++)
            dialects[i] = Wire.U16(body, 36 + 2 * i);
        ushort chosen = 0;
        foreach (var d in Supported)
        {
            if (Array.IndexOf(dialects, d) >= 0)
            {
                chosen = d;
                break;
            }
        }
        if (chosen == 0)
        {
            c.Abort();
            return SmbResponse.Error(NtStatus.NotSupported);
        }

        var clientCaps = Wire.U32(body, 8);
        var dialect = (SmbDialect)chosen;
        CipherId? cipher = null;
        var signing = dialect >= SmbDialect.Smb300 ? SigningAlgorithm.AesCmac : SigningAlgorithm.HmacSha256;
        bool sawEncryption = false, sawSigning = false;
        if (dialect == SmbDialect.Smb311)
        {
            var status = ReadContexts(request, body, out var hasPreauth, out cipher, out var signingChoice, out sawEncryption, out sawSigning);
            if (status != NtStatus.Success)
                return SmbResponse.Error(status);
            if (!hasPreauth)
                return SmbResponse.Error(NtStatus.InvalidParameter);
            if (signingChoice is { } s)
                signing = s;
        }
        else if (dialect >= SmbDialect.Smb300 && (clientCaps & CapEncryption) != 0)
        {
            cipher = CipherId.Aes128Ccm;
        }

        c.Dialect = dialect;
        c.ClientGuid = new Guid(body.Slice(12, 16));
        c.ClientCapabilities = clientCaps;
        c.ClientSecurityMode = Wire.U16(body, 4);
        c.ClientDialects = dialects;
        c.Cipher = cipher;
        c.SigningAlgorithm = signing;
        c.ServerSecurityMode = (ushort)(SigningEnabled | (request.Options.SigningRequired ? SigningRequired : 0));
        uint caps = 0;
        if (dialect >= SmbDialect.Smb210)
            caps |= CapLargeMtu;
        if (dialect is SmbDialect.Smb300 or SmbDialect.Smb302 && cipher is not null)
            caps |= CapEncryption;
        c.ServerCapabilities = caps;
        c.WildcardNegotiated = false;
        c.Negotiated = true;

        PreauthHash? preauth = null;
        if (dialect == SmbDialect.Smb311)
        {
            preauth = new PreauthHash();
            preauth.Update(request.Message.Span);
            c.Preauth = preauth;
        }
        var response = Build(request.Server, c, chosen, dialect == SmbDialect.Smb311, sawEncryption ? cipher ?? 0 : null, sawSigning ? signing : null);
        if (preauth is not null)
            response.OnSent = m => preauth.Update(m);
        return response;
    }

    /// <summary>The response body; also used for the SMB1-negotiate upgrade (dialect 0x02FF or 0x0202).</summary>
    public static SmbResponse Build(SmbServer server, SmbConnection c, ushort dialectRevision, bool contexts, CipherId? cipherContext, SigningAlgorithm? signingContext)
    {
        var token = Spnego.NegotiateHint();
        var max = (uint)server.Options.MaxIo;
        var contextStart = Align8(64 + token.Length);
        var contextBytes = 0;
        ushort contextCount = 0;
        if (contexts)
        {
            contextBytes = 8 + 38;
            contextCount = 1;
            if (cipherContext is not null)
            {
                contextBytes = Align8(contextBytes) + 8 + 4;
                contextCount++;
            }
            if (signingContext is not null)
            {
                contextBytes = Align8(contextBytes) + 8 + 4;
                contextCount++;
            }
        }
        var length = contexts ? contextStart + contextBytes : 64 + token.Length;
        var r = SmbResponse.Ok(length);
        var b = r.Body;
        Wire.U16(b, 0, 65);
        Wire.U16(b, 2, c.ServerSecurityMode == 0 ? (ushort)(SigningEnabled | (server.Options.SigningRequired ? SigningRequired : 0)) : c.ServerSecurityMode);
        Wire.U16(b, 4, dialectRevision);
        Wire.U16(b, 6, contextCount);
        server.Options.ServerGuid.TryWriteBytes(b.Slice(8, 16));
        Wire.U32(b, 24, c.ServerCapabilities);
        Wire.U32(b, 28, max);
        Wire.U32(b, 32, max);
        Wire.U32(b, 36, max);
        Wire.U64(b, 40, (ulong)DateTime.UtcNow.ToFileTimeUtc());
        Wire.U64(b, 48, 0);
        // Offset 128 from the header even when the buffer were empty: some clients insist on it.
        Wire.U16(b, 56, Smb2Header.Size + 64);
        Wire.U16(b, 58, (ushort)token.Length);
        token.CopyTo(b[64..]);
        if (contexts)
        {
            Wire.U32(b, 60, (uint)(Smb2Header.Size + contextStart));
            var at = contextStart;
            // PREAUTH_INTEGRITY_CAPABILITIES: SHA-512 with a 32-byte salt.
            Wire.U16(b, at, PreauthContext);
            Wire.U16(b, at + 2, 38);
            Wire.U16(b, at + 8, 1);
            Wire.U16(b, at + 10, 32);
            Wire.U16(b, at + 12, Sha512);
            RandomNumberGenerator.Fill(b.Slice(at + 14, 32));
            at += 8 + 38;
            if (cipherContext is { } ci)
            {
                at = Align8(at);
                Wire.U16(b, at, EncryptionContext);
                Wire.U16(b, at + 2, 4);
                Wire.U16(b, at + 8, 1);
                Wire.U16(b, at + 10, (ushort)ci);
                at += 12;
            }
            if (signingContext is { } si)
            {
                at = Align8(at);
                Wire.U16(b, at, SigningContext);
                Wire.U16(b, at + 2, 4);
                Wire.U16(b, at + 8, 1);
                Wire.U16(b, at + 10, (ushort)si);
            }
        }
        return r;
    }

    private static int Align8(int v) => (v + 7) & ~7;

    private static uint ReadContexts(SmbRequest request, ReadOnlySpan<byte> body, out bool hasPreauth, out CipherId? cipher,
        out SigningAlgorithm? signing, out bool sawEncryption, out bool sawSigning)
    {
        hasPreauth = false;
        cipher = null;
        signing = null;
        sawEncryption = sawSigning = false;
        var message = request.Message.Span;
        var offset = Wire.U32(body, 28);
        var count = Wire.U16(body, 32);
        if (count == 0)
            return NtStatus.InvalidParameter;
        if (offset % 8 != 0 || offset > (uint)message.Length)
            return NtStatus.InvalidParameter;
        var at = (int)offset;
        for (var i = 0; i < count; i++)
        {
            at = Align8(at);
            if (at + 8 > message.Length)
                return NtStatus.InvalidParameter;
            var type = Wire.U16(message, at);
            var length = Wire.U16(message, at + 2);
            if (at + 8 + length > message.Length)
                return NtStatus.InvalidParameter;
            var data = message.Slice(at + 8, length);
            switch (type)
            {
                case PreauthContext:
                    if (hasPreauth || data.Length < 4)
                        return NtStatus.InvalidParameter;
                    var hashes = Wire.U16(data, 0);
                    var saltLength = Wire.U16(data, 2);
                    if (hashes == 0 || data.Length < 4 + 2 * hashes + saltLength)
                        return NtStatus.InvalidParameter;
                    var sha = false;
                    for (var h = 0; h < hashes; h++)
                        sha |= Wire.U16(data, 4 + 2 * h) == Sha512;
                    if (!sha)
                        return NtStatus.NoPreauthIntegrityHashOverlap;
                    hasPreauth = true;
                    break;
                case EncryptionContext:
                    if (sawEncryption || data.Length < 2)
                        return NtStatus.InvalidParameter;
                    sawEncryption = true;
                    var ciphers = Wire.U16(data, 0);
                    if (ciphers == 0 || data.Length < 2 + 2 * ciphers)
                        return NtStatus.InvalidParameter;
                    // The client lists ciphers in its order of preference; the first we know wins.
                    for (var k = 0; k < ciphers && cipher is null; k++)
                    {
                        var id = Wire.U16(data, 2 + 2 * k);
                        if (id is >= 1 and <= 4)
                            cipher = (CipherId)id;
                    }
                    break;
                case SigningContext:
                    if (sawSigning || data.Length < 2)
                        return NtStatus.InvalidParameter;
                    sawSigning = true;
                    var algs = Wire.U16(data, 0);
                    if (algs == 0 || data.Length < 2 + 2 * algs)
                        return NtStatus.InvalidParameter;
                    bool gmac = false, cmac = false, hmac = false;
                    for (var k = 0; k < algs; k++)
                    {
                        switch (Wire.U16(data, 2 + 2 * k))
                        {
                            case (ushort)SigningAlgorithm.AesGmac: gmac = true; break;
                            case (ushort)SigningAlgorithm.AesCmac: cmac = true; break;
                            case (ushort)SigningAlgorithm.HmacSha256: hmac = true; break;
                        }
                    }
                    signing = gmac ? SigningAlgorithm.AesGmac : cmac ? SigningAlgorithm.AesCmac : hmac ? SigningAlgorithm.HmacSha256 : null;
                    break;
                default:
                    break; // unknown contexts are ignored (MS-SMB2 3.3.5.4)
            }
            at += 8 + length;
        }
        return NtStatus.Success;
    }
}
