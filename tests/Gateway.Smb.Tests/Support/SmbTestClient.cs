using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Support;

/// <summary>One SMB2 response as the test client received it.</summary>
public sealed record SmbMessage(byte[] Bytes)
{
    public uint Status => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(8));
    public ushort Command => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(12));
    public ushort Credits => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(14));
    public uint Flags => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(16));
    public uint NextCommand => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(20));
    public ulong MessageId => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(24));
    public ulong AsyncId => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(32));
    public uint TreeId => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(36));
    public ulong SessionId => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(40));
    public bool IsSigned => (Flags & 8) != 0;
    public ReadOnlySpan<byte> Body => Bytes.AsSpan(64);
}

/// <summary>
/// A small SMB2/3 client for in-process tests: negotiate, NTLM session setup (NtlmClient), signing,
/// encryption, and raw access to every field so tests can send what real clients never would.
/// </summary>
public sealed class SmbTestClient : IAsyncDisposable
{
    public const uint GenericRead = 0x80000000, GenericWrite = 0x40000000, GenericAll = 0x10000000, Delete = 0x10000;
    public const uint ShareRead = 1, ShareWrite = 2, ShareDelete = 4;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private ulong _nextMessageId;
    private PreauthHash? _preauth;
    private SmbCipher? _encryptor;
    private SmbCipher? _decryptor;

    private SmbTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public ushort Dialect { get; private set; }
    public ulong SessionId { get; private set; }
    public SmbSigner? Signer { get; private set; }
    public bool Sign { get; set; } = true;
    public bool Encrypt { get; set; }
    public CipherId Cipher { get; private set; } = CipherId.Aes128Ccm;
    public SigningAlgorithm SigningAlgorithm { get; private set; }
    public ulong NextMessageId { get => _nextMessageId; set => _nextMessageId = value; }
    public byte[] NegotiateResponse { get; private set; } = [];

    public static async Task<SmbTestClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new SmbTestClient(tcp);
    }

    public static async Task<SmbTestClient> LoggedOnAsync(int port, ushort dialect = 0x0311, bool encrypt = false)
    {
        var c = await ConnectAsync(port);
        var n = await c.NegotiateAsync(dialect);
        if (n.Status != 0)
            throw new InvalidOperationException($"negotiate: 0x{n.Status:X8}");
        var s = await c.SessionSetupAsync(SmbHarness.User, SmbHarness.Password);
        if (s != 0)
            throw new InvalidOperationException($"session setup: 0x{s:X8}");
        c.Encrypt = encrypt;
        return c;
    }

    // ---- framing ----

    public async Task SendRawAsync(ReadOnlyMemory<byte> message)
    {
        var frame = new byte[4 + message.Length];
        frame[1] = (byte)(message.Length >> 16);
        frame[2] = (byte)(message.Length >> 8);
        frame[3] = (byte)message.Length;
        message.CopyTo(frame.AsMemory(4));
        await _stream.WriteAsync(frame);
    }

    /// <summary>Bytes as they are, no framing added (for hostile-input tests).</summary>
    public async Task SendUnframedAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next whole message (decrypted if it came in a transform header); null when the server closed.</summary>
    public async Task<byte[]?> ReceiveRawAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var header = new byte[4];
        try
        {
            await _stream.ReadExactlyAsync(header, cts.Token);
            var length = (header[1] << 16) | (header[2] << 8) | header[3];
            var data = new byte[length];
            await _stream.ReadExactlyAsync(data, cts.Token);
            if (length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == 0x424D53FD)
            {
                var plain = new byte[length];
                if (_decryptor is null || !_decryptor.TryDecrypt(data, plain, out var n))
                    throw new InvalidOperationException("response did not decrypt");
                return plain[..n];
            }
            return data;
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when the server closed the connection (read returns end of stream) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan? timeout = null)
    {
        try
        {
            while (true)
            {
                var m = await ReceiveRawAsync(timeout ?? TimeSpan.FromSeconds(10));
                if (m is null)
                    return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // ---- messages ----

    public byte[] BuildHeader(ushort command, ulong messageId, uint treeId, ushort creditCharge = 1, ushort creditRequest = 64, uint flags = 0, ulong? sessionId = null)
    {
        var h = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x424D53FE);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(4), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(6), creditCharge);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(12), command);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(14), creditRequest);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(24), messageId);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(36), treeId);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(40), sessionId ?? SessionId);
        return h;
    }

    /// <summary>Sends one command and returns its MessageId (signed/encrypted per the client's settings).</summary>
    public async Task<ulong> SendAsync(ushort command, byte[] body, uint treeId = 0, ushort creditCharge = 1, uint flags = 0)
    {
        var id = _nextMessageId;
        _nextMessageId += Math.Max((ushort)1, creditCharge);
        var message = Concat(BuildHeader(command, id, treeId, creditCharge, 64, flags), body);
        await SendMessageAsync(message);
        return id;
    }

    public async Task SendMessageAsync(byte[] message)
    {
        if (Encrypt && _encryptor is not null)
        {
            var t = new byte[SmbCipher.TransformHeaderSize + message.Length];
            _encryptor.Encrypt(message, SessionId, t);
            await SendRawAsync(t);
            return;
        }
        if (Sign && Signer is not null && SessionId != 0)
            Signer.Sign(message);
        await SendRawAsync(message);
    }

    /// <summary>The final response to <paramref name="messageId"/> (interim STATUS_PENDING skipped unless asked).</summary>
    /// A response to another request that arrives first is kept for the call that asks for it: the server may
    /// answer out of order (a CLOSE completes a pending CHANGE_NOTIFY, whose answer can overtake the CLOSE's).
    public async Task<SmbMessage> ReceiveAsync(ulong? messageId = null, bool returnPending = false, TimeSpan? timeout = null)
    {
        for (var i = 0; i < _early.Count; i++)
        {
            var kept = _early[i];
            if ((kept.Status == 0x103 && !returnPending) || (messageId is not null && kept.MessageId != messageId))
                continue;
            _early.RemoveAt(i);
            return kept;
        }
        while (true)
        {
            var raw = await ReceiveRawAsync(timeout) ?? throw new IOException("server closed the connection");
            var m = new SmbMessage(raw);
            if (m.Status == 0x103 && !returnPending)
                continue;
            if (messageId is not null && m.MessageId != messageId)
            {
                _early.Add(m);
                continue;
            }
            return m;
        }
    }

    private readonly List<SmbMessage> _early = [];

    public async Task<SmbMessage> RequestAsync(ushort command, byte[] body, uint treeId = 0, ushort creditCharge = 1)
    {
        var id = await SendAsync(command, body, treeId, creditCharge);
        return await ReceiveAsync(id);
    }

    // ---- negotiate / session ----

    public async Task<SmbMessage> NegotiateAsync(params ushort[] dialects)
    {
        var hasSmb311 = Array.IndexOf(dialects, (ushort)0x0311) >= 0;
        var dialectBytes = dialects.Length * 2;
        var contextsAt = (64 + 36 + dialectBytes + 7) & ~7;
        var contexts = new List<byte[]>();
        if (hasSmb311)
        {
            var preauth = new byte[4 + 2 + 32];
            BinaryPrimitives.WriteUInt16LittleEndian(preauth, 1);
            BinaryPrimitives.WriteUInt16LittleEndian(preauth.AsSpan(2), 32);
            BinaryPrimitives.WriteUInt16LittleEndian(preauth.AsSpan(4), 1);
            RandomNumberGenerator.Fill(preauth.AsSpan(6));
            contexts.Add(Context(1, preauth));
            contexts.Add(Context(2, [2, 0, 2, 0, 1, 0])); // AES-128-GCM, AES-128-CCM
            contexts.Add(Context(8, [2, 0, 2, 0, 1, 0])); // AES-GMAC, AES-CMAC
        }
        var body = new byte[contextsAt - 64 + contexts.Sum(c => (c.Length + 7) & ~7)];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)dialects.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), 0x40 | 0x4);
        Guid.NewGuid().TryWriteBytes(body.AsSpan(12));
        for (var i = 0; i < dialects.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(36 + 2 * i), dialects[i]);
        if (hasSmb311)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28), (uint)contextsAt);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(32), (ushort)contexts.Count);
            var at = contextsAt - 64;
            foreach (var c in contexts)
            {
                c.CopyTo(body, at);
                at += (c.Length + 7) & ~7;
            }
            body = body[..(at - ((contexts[^1].Length + 7 & ~7) - contexts[^1].Length))];
        }
        var message = Concat(BuildHeader(0, _nextMessageId++, 0, 0, 64), body);
        await SendRawAsync(message);
        var response = await ReceiveAsync();
        NegotiateResponse = response.Bytes;
        if (response.Status != 0)
            return response;
        Dialect = BinaryPrimitives.ReadUInt16LittleEndian(response.Body[4..]);
        SigningAlgorithm = Dialect >= 0x0300 ? SigningAlgorithm.AesCmac : SigningAlgorithm.HmacSha256;
        if (Dialect == 0x0311)
        {
            _preauth = new PreauthHash();
            _preauth.Update(message);
            _preauth.Update(response.Bytes);
            ReadNegotiateContexts(response);
        }
        return response;
    }

    private void ReadNegotiateContexts(SmbMessage response)
    {
        var b = response.Bytes;
        var count = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(64 + 6));
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(64 + 60));
        for (var i = 0; i < count; i++)
        {
            at = (at + 7) & ~7;
            var type = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
            var len = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 2));
            if (type == 2)
                Cipher = (CipherId)BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 10));
            if (type == 8)
                SigningAlgorithm = (SigningAlgorithm)BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at + 10));
            at += 8 + len;
        }
    }

    private static byte[] Context(ushort type, byte[] data)
    {
        var c = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(c, type);
        BinaryPrimitives.WriteUInt16LittleEndian(c.AsSpan(2), (ushort)data.Length);
        data.CopyTo(c, 8);
        return c;
    }

    /// <summary>NTLM through SESSION_SETUP; on success derives the keys. Returns the final status.</summary>
    public async Task<uint> SessionSetupAsync(string user, string password, bool anonymous = false)
    {
        var ntlm = new NtlmClient(user, password) { Anonymous = anonymous };
        var token = ntlm.CreateInitialToken();
        SessionId = 0;
        PreauthHash? hash = _preauth?.Clone();
        while (true)
        {
            var body = new byte[24 + token.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(body, 25);
            body[3] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), 64 + 24);
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)token.Length);
            token.CopyTo(body, 24);
            var message = Concat(BuildHeader(1, _nextMessageId++, 0, 1, 64), body);
            hash?.Update(message);
            await SendRawAsync(message);
            var r = await ReceiveAsync();
            SessionId = r.SessionId;
            if (r.Status == 0xC0000016)
            {
                hash?.Update(r.Bytes);
                var offset = BinaryPrimitives.ReadUInt16LittleEndian(r.Body[4..]);
                var length = BinaryPrimitives.ReadUInt16LittleEndian(r.Body[6..]);
                token = ntlm.CreateResponse(r.Bytes.AsSpan(offset, length));
                continue;
            }
            if (r.Status != 0)
                return r.Status;
            if (ntlm.SessionKey is { } key && !anonymous)
            {
                var keys = SmbKeyDerivation.Derive((SmbDialect)Dialect, key, hash is null ? default : hash.Value, Cipher);
                Signer = new SmbSigner(SigningAlgorithm, keys.SigningKey);
                if (Dialect >= 0x0300)
                {
                    _encryptor = new SmbCipher(Cipher, keys.DecryptionKey);
                    _decryptor = new SmbCipher(Cipher, keys.EncryptionKey);
                }
                if (!r.IsSigned || !Signer.Verify(r.Bytes))
                    throw new InvalidOperationException("final SESSION_SETUP response not signed correctly");
            }
            return 0;
        }
    }

    // ---- commands ----

    public async Task<(uint Status, uint TreeId)> TreeConnectAsync(string share)
    {
        var path = Encoding.Unicode.GetBytes($@"\\127.0.0.1\{share}");
        var body = new byte[8 + path.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 9);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 64 + 8);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), (ushort)path.Length);
        path.CopyTo(body, 8);
        var r = await RequestAsync(3, body);
        return (r.Status, r.TreeId);
    }

    public static byte[] CreateBody(string name, uint access, uint share, uint disposition, uint options = 0, uint attributes = 0, byte[]? contexts = null)
    {
        // Lossless UTF-16LE: a lone surrogate (a Vfs name for on-disk bytes that are not UTF-8) goes out as it is.
        var nameBytes = MemoryMarshal.AsBytes(name.AsSpan()).ToArray();
        var nameLen = Math.Max(nameBytes.Length, 1);
        var ctxAt = contexts is null ? 0 : (56 + nameLen + 7) & ~7;
        var body = new byte[contexts is null ? 56 + nameLen : ctxAt + contexts.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 57);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(24), access);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28), attributes);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(32), share);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(36), disposition);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(40), options);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(44), 64 + 56);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(46), (ushort)nameBytes.Length);
        nameBytes.CopyTo(body, 56);
        if (contexts is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(48), (uint)(64 + ctxAt));
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(52), (uint)contexts.Length);
            contexts.CopyTo(body, ctxAt);
        }
        return body;
    }

    public async Task<(uint Status, byte[] FileId, SmbMessage Response)> CreateAsync(uint tree, string name, uint access = GenericRead | GenericWrite,
        uint share = ShareRead | ShareWrite | ShareDelete, uint disposition = 3, uint options = 0, byte[]? contexts = null)
    {
        var r = await RequestAsync(5, CreateBody(name, access, share, disposition, options, 0, contexts), tree);
        return (r.Status, r.Status == 0 ? r.Body.Slice(64, 16).ToArray() : [], r);
    }

    public async Task<uint> CloseAsync(uint tree, byte[] fileId)
    {
        var body = new byte[24];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 24);
        fileId.CopyTo(body, 8);
        return (await RequestAsync(6, body, tree)).Status;
    }

    public static byte[] WriteBody(byte[] fileId, long offset, byte[] data)
    {
        var body = new byte[48 + data.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 49);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), 64 + 48);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)data.Length);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), offset);
        fileId.CopyTo(body, 16);
        data.CopyTo(body, 48);
        return body;
    }

    public async Task<(uint Status, uint Count)> WriteAsync(uint tree, byte[] fileId, long offset, byte[] data)
    {
        var charge = (ushort)Math.Max(1, (data.Length - 1) / 65536 + 1);
        var r = await RequestAsync(9, WriteBody(fileId, offset, data), tree, charge);
        return (r.Status, r.Status == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(r.Body[4..]) : 0);
    }

    public static byte[] ReadBody(byte[] fileId, long offset, int length)
    {
        var body = new byte[49];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 49);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)length);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), offset);
        fileId.CopyTo(body, 16);
        return body;
    }

    public async Task<(uint Status, byte[] Data)> ReadAsync(uint tree, byte[] fileId, long offset, int length)
    {
        var charge = (ushort)Math.Max(1, (length - 1) / 65536 + 1);
        var r = await RequestAsync(8, ReadBody(fileId, offset, length), tree, charge);
        if (r.Status != 0)
            return (r.Status, []);
        var dataOffset = r.Body[2];
        var count = BinaryPrimitives.ReadInt32LittleEndian(r.Body[4..]);
        return (0, r.Bytes.AsSpan(dataOffset, count).ToArray());
    }

    public static byte[] LockBody(byte[] fileId, params (ulong Offset, ulong Length, uint Flags)[] locks)
    {
        var body = new byte[24 + 24 * locks.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(body, 48);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)locks.Length);
        fileId.CopyTo(body, 8);
        for (var i = 0; i < locks.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(24 + 24 * i), locks[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(32 + 24 * i), locks[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(40 + 24 * i), locks[i].Flags);
        }
        return body;
    }

    public static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        Signer?.Dispose();
        _encryptor?.Dispose();
        _decryptor?.Dispose();
        _tcp.Dispose();
    }
}
