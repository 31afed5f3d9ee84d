using System.Collections.Concurrent;
using Gateway.Smb.Security;
using Gateway.Vfs;

namespace Gateway.Smb.Server;

internal enum SessionState { InProgress, Valid }

/// <summary>
/// One authenticated (or being authenticated) session: its keys, trees and opens. Opens are keyed
/// by their volatile FileId, which is random, so an id from another session finds nothing.
/// </summary>
internal sealed class SmbSession(ulong id) : IDisposable
{
    private uint _nextTreeId;

    public ulong Id { get; } = id;
    public SessionState State { get; set; } = SessionState.InProgress;
    public NtlmAuthenticator? Authenticator { get; set; }
    public PreauthHash? Preauth { get; set; }
    public SmbUser? User { get; set; }
    public bool IsAnonymous { get; set; }
    public Principal Principal { get; set; } = new(65534, 65534, Array.Empty<uint>(), "nobody");
    public SmbSigner? Signer { get; set; }
    public SmbCipher? Encryptor { get; set; }
    public SmbCipher? Decryptor { get; set; }
    public byte[]? ApplicationKey { get; set; }
    public bool SigningRequired { get; set; }
    public bool EncryptData { get; set; }
    public ConcurrentDictionary<uint, SmbTree> Trees { get; } = new();
    public ConcurrentDictionary<ulong, SmbOpen> Opens { get; } = new();

    public uint NextTreeId() => Interlocked.Increment(ref _nextTreeId);

    public void SetKeys(SmbSigner? signer, SmbCipher? encryptor, SmbCipher? decryptor)
    {
        Signer?.Dispose();
        Encryptor?.Dispose();
        Decryptor?.Dispose();
        Signer = signer;
        Encryptor = encryptor;
        Decryptor = decryptor;
    }

    public void Dispose() => SetKeys(null, null, null);
}
