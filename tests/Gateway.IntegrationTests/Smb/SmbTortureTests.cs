using Gateway.IntegrationTests.Support;

namespace Gateway.IntegrationTests.Smb;

/// <summary>
/// Samba's smbtorture (samba-testsuite) against the SMB server through tests/smbtorture/run.sh: the groups
/// smb2.connect read create getinfo setinfo dir rename lock credits compound notify session, every subtest
/// but the excluded ones (tests/smbtorture/excluded.txt, each with its reason). Fails on any subtest that
/// neither passes nor is listed in tests/smbtorture/expected-failures.txt; the output also names listed
/// subtests that now pass. docs/smb-conformance.md holds the table.
/// </summary>
[Collection(SmbTortureCollection.Name)]
public sealed class SmbTortureTests : IAsyncLifetime
{
    private readonly TempDirs _dirs = new();
    private ISmbTarget _target = null!;

    public async Task InitializeAsync() => _target = await SmbTargets.StartAsync(_dirs.Export, _dirs.State);

    [Fact]
    public async Task Smbtorture_passes_every_subtest_that_is_not_an_expected_failure()
    {
        var results = Path.Combine(_dirs.Base, "smbtorture.tsv");
        using var run = ChildProcess.Start(Path.Combine(KernelClient.RepoRoot, "tests", "smbtorture", "run.sh"),
            "--target", _target.Kind, "--host", _target.Host, "--port", _target.Port.ToString(), "--share", _target.Share,
            "--user", _target.User, "--password", _target.Password, "--results", results);
        var code = await run.WaitForExitAsync(TimeSpan.FromMinutes(20));
        var output = run.Stdout + run.Stderr;
        Assert.True(code == 0, $"tests/smbtorture/run.sh exited {code}:\n{output}\nserver:\n{SmbClientTool.Tail(_target.Log)}");
        Assert.Contains("RESULT: OK", output);
        // the run really ran the groups: at least the 170-odd subtests that are not excluded have a row
        Assert.True(File.ReadAllLines(results).Length > 150, "too few smbtorture results:\n" + output);
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _dirs.Dispose();
    }
}

/// <summary>smbtorture alone: smb2.notify and smb2.lock wait on timeouts that a loaded machine stretches.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SmbTortureCollection
{
    public const string Name = "smbtorture";
}
