using System.Net;
using System.Net.Sockets;
using Gateway.Smb;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

namespace Gateway.Host.Smb;

/// <summary>
/// The SMB side of a gateway: one disk share per export (plus IPC$) on one port. Users come from the
/// Store; when it has none, one is created and its password reported once through <see cref="CreatedUser"/>.
/// </summary>
public sealed class SmbService : IAsyncDisposable
{
    private readonly SmbServer _server;

    private SmbService(SmbServer server, SmbOptions options, (string Name, string Password)? createdUser, string? userHint)
    {
        _server = server;
        Options = options;
        CreatedUser = createdUser;
        UserHint = userHint;
    }

    public SmbOptions Options { get; }
    public int Port => _server.LocalEndPoint.Port;
    public (string Name, string Password)? CreatedUser { get; }
    /// <summary>A user to show in the start message's example commands (the first one, by name).</summary>
    public string? UserHint { get; }

    public static SmbService Start(GatewayOptions options, SmbOptions smb, IReadOnlyList<LocalVfs> exports, GatewayStore store)
    {
        var owner = exports[0].GetAttr(exports[0].Root);
        var created = SmbUsers.EnsureOne(store, owner.IsOk ? owner.Value.Uid : 0, owner.IsOk ? owner.Value.Gid : 0);
        var serverOptions = new SmbServerOptions
        {
            Shares = exports.Select(v => new SmbShare(v.Name, v, smb.Encryption == SmbEncryption.Required)).ToArray(),
            Users = new StoreUserDirectory(store),
            ServerName = NetbiosName(),
            ServerGuid = LoadOrCreateServerGuid(store),
            Log = options.Log,
        };
        try
        {
            var hint = created?.Name ?? store.GetUsers().FirstOrDefault()?.Name;
            return new SmbService(SmbServer.Start(new IPEndPoint(options.ListenAddress, smb.Port), serverOptions), smb, created, hint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            throw new GatewayStartupException($"--smb-port {smb.Port}: not permitted (ports below 1024 need root); give another port, e.g. --smb-port 4445");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new GatewayStartupException($"--smb-port {smb.Port}: the port is in use (is Samba running? `ss -ltnp 'sport = {smb.Port}'` shows who); give another with --smb-port");
        }
    }

    /// <summary>Clients cache the server GUID (SMB 3 validate-negotiate, multichannel): keep it across restarts.</summary>
    private static Guid LoadOrCreateServerGuid(GatewayStore store)
    {
        if (store.GetMeta("smb.server-guid") is { Length: 16 } b) return new Guid(b);
        var g = Guid.NewGuid();
        store.SetMeta("smb.server-guid", g.ToByteArray());
        return g;
    }

    private static string NetbiosName()
    {
        var host = Environment.MachineName.Split('.')[0].ToUpperInvariant();
        var cleaned = new string(host.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray());
        return cleaned.Length is > 0 and <= 15 ? cleaned : cleaned.Length > 15 ? cleaned[..15] : "GATEWAY";
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
