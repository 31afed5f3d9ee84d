using Gateway.Nfs.Tests.Nlm.Support;
using Gateway.Nfs.Tests.Support;
using static Gateway.Nfs.Nlm.Nlm4Stat;

namespace Gateway.Nfs.Tests.Nlm;

/// <summary>NLM's fh is the NFSv3 handle, checked as NFSv3 checks it, with NLM's status values.</summary>
public sealed class NlmHandleTests : IDisposable
{
    private static readonly NlmCaller A = NlmCaller.Of("client-a", 101);

    private readonly NlmHarness _h = new(policy: new ExportPolicy
    {
        AllowedHosts = ExportPolicy.Loopback.AllowedHosts,
        Squash = Squash.None,
    });

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_forged_handle_is_stale_fh()
    {
        var fh = _h.CreateFile("file");
        fh[^1] ^= 0x01;
        var a = _h.Client(A);
        Assert.Equal(NLM4_STALE_FH, await a.LockAsync(fh, 0, 1));
        Assert.Equal(NLM4_STALE_FH, (await a.TestAsync(fh, 0, 1)).Stat);
        Assert.Equal(NLM4_STALE_FH, await a.UnlockAsync(fh, 0, 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(64)]
    public async Task A_handle_of_the_wrong_size_is_stale_fh(int size)
    {
        Assert.Equal(NLM4_STALE_FH, await _h.Client(A).LockAsync(new byte[size], 0, 1));
    }

    [Fact]
    public async Task The_handle_of_a_deleted_file_is_stale_fh()
    {
        var fh = _h.CreateFile("gone");
        Assert.True(_h.Vfs.Remove(Gateway.Vfs.Principal.Root, _h.Vfs.Root, "gone").IsOk);
        Assert.Equal(NLM4_STALE_FH, await _h.Client(A).LockAsync(fh, 0, 1));
    }

    [Fact]
    public async Task A_host_the_export_does_not_list_gets_failed_not_denied()
    {
        var fh = _h.CreateFile("file");
        var stranger = _h.Client(A, remote: "198.51.100.1");
        Assert.Equal(NLM4_FAILED, await stranger.LockAsync(fh, 0, 1));
        Assert.Equal(NLM4_FAILED, (await stranger.TestAsync(fh, 0, 1)).Stat);
        Assert.Contains(_h.Logs, l => l.Contains("host not allowed", StringComparison.Ordinal));
        Assert.Empty(_h.Vfs.Locks.GetLocks(_h.NodeOf("file")));
    }

    [Fact]
    public async Task A_caller_who_may_not_read_the_file_gets_failed()
    {
        var fh = _h.CreateFile("private");
        File.SetUnixFileMode(_h.Tree.At("private"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var stranger = _h.Client(A, credential: NfsClient.Sys(uid: 4242, gid: 4242));
        Assert.Equal(NLM4_FAILED, await stranger.LockAsync(fh, 0, 1));
    }

    [Fact]
    public async Task A_caller_who_may_read_but_not_write_may_still_lock_exclusively()
    {
        var fh = _h.CreateFile("readable");
        File.SetUnixFileMode(_h.Tree.At("readable"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var reader = _h.Client(A, credential: NfsClient.Sys(uid: 4242, gid: 4242));
        Assert.Equal(NLM4_GRANTED, await reader.LockAsync(fh, 0, 1, exclusive: true));
    }
}
