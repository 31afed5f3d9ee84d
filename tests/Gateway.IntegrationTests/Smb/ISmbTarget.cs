namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// An SMB server a test talks to: the Gateway (what the suite tests) or Samba's smbd (the reference the
/// harness was validated against). Every SMB test takes one of these, so the same checks run on both.
/// </summary>
public interface ISmbTarget : IAsyncDisposable
{
    /// <summary>"gateway" or "samba".</summary>
    string Kind { get; }
    string Host { get; }
    int Port { get; }
    string Share { get; }
    string User { get; }
    string Password { get; }
    /// <summary>The local directory behind the share (what a client's writes must land in).</summary>
    string SharePath { get; }
    /// <summary>The server's output so far, for failure messages.</summary>
    string Log { get; }
}

/// <summary>Which server the SMB tests run against: the Gateway, unless SMB_TEST_TARGET=samba.</summary>
public static class SmbTargets
{
    public static string Kind =>
        string.Equals(Environment.GetEnvironmentVariable("SMB_TEST_TARGET"), "samba", StringComparison.OrdinalIgnoreCase) ? "samba" : "gateway";

    /// <summary>Starts the chosen server on a free 127.0.0.1 port, sharing <paramref name="shareDir"/>.</summary>
    public static async Task<ISmbTarget> StartAsync(string shareDir, string stateDir) =>
        Kind == "samba"
            ? await SambaTarget.StartAsync(shareDir, stateDir)
            : await GatewayTarget.StartAsync(shareDir, stateDir);

    /// <summary>A port nobody listens on right now (the server binds it a moment later).</summary>
    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

/// <summary>One server per test class (xunit class fixture), on a fresh export directory.</summary>
public sealed class SmbTargetFixture : IAsyncLifetime
{
    private readonly Support.TempDirs _dirs = new();
    private ISmbTarget? _target;

    public ISmbTarget Target => _target ?? throw new InvalidOperationException("the SMB server did not start");
    /// <summary>Scratch space on the client side (outside the share).</summary>
    public string ClientDir => Path.Combine(_dirs.Base, "client");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ClientDir);
        _target = await SmbTargets.StartAsync(_dirs.Export, _dirs.State);
    }

    public async Task DisposeAsync()
    {
        if (_target is not null) await _target.DisposeAsync();
        _dirs.Dispose();
    }
}
