using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Fuzz;

/// <summary>
/// Random and mutated NFSv3/MOUNT arguments: every call is answered (SUCCESS with an NFS status, or
/// GARBAGE_ARGS), none crashes a handler (SYSTEM_ERR), nothing appears outside the export, and a
/// well-formed client still works afterwards. The seed is printed so a failure replays.
/// </summary>
public sealed class Nfs3FuzzTests : IDisposable
{
    private readonly NfsHarness _harness = new();
    private readonly ITestOutputHelperShim _out;

    public Nfs3FuzzTests(Xunit.Abstractions.ITestOutputHelper output) => _out = new ITestOutputHelperShim(output);

    [Theory]
    [InlineData(20251124)]
    [InlineData(7)]
    public async Task Mutated_calls_never_crash_a_handler_or_reach_outside_the_export(int seed)
    {
        _out.Line($"seed {seed}");
        var rng = new Random(seed);
        File.WriteAllText(_harness.Tree.At("file"), "content");
        Directory.CreateDirectory(_harness.Tree.At("dir"));
        var outsideBefore = Directory.GetFileSystemEntries(_harness.Tree.Base).Length;
        var client = _harness.Client(credential: NfsClient.Sys(0, 0));
        var root = await client.RootAsync();
        var file = (await client.LookupAsync(root, "file")).Handle!;

        // Seeds: well-formed arguments for each procedure shape, mutated below.
        var seeds = new List<(uint Program, uint Procedure, byte[] Args)>();
        for (uint proc = 0; proc <= 21; proc++)
        {
            seeds.Add((NfsClient.NfsProgram, proc, Xdr.Build((ref XdrWriter w) => { w.WriteOpaque(root); w.WriteString("name"); w.WriteUInt32(0); w.WriteUInt64(0); w.WriteUInt32(4096); })));
            seeds.Add((NfsClient.NfsProgram, proc, Xdr.Build((ref XdrWriter w) => { w.WriteOpaque(file); w.WriteUInt64(0); w.WriteUInt32(16); w.WriteUInt32(2); w.WriteOpaque("abcdefghijklmnop"u8); })));
        }
        for (uint proc = 0; proc <= 5; proc++)
            seeds.Add((NfsClient.MountProgramNumber, proc, Xdr.Build((ref XdrWriter w) => w.WriteString("/export"))));

        var answered = 0;
        for (var i = 0; i < 4000; i++)
        {
            var (program, procedure, args) = seeds[rng.Next(seeds.Count)];
            var mutated = Mutate(rng, args);
            var record = await client.RawAsync(program, 3, procedure, mutated);
            var header = RpcReplyHeader.Read(record.AsSpan(4));
            Assert.Equal(ReplyStat.MSG_ACCEPTED, header.ReplyStat);
            if (header.AcceptStat == AcceptStat.SYSTEM_ERR) foreach (var l in _harness.Logs) _out.Line(l);
            Assert.True(header.AcceptStat is AcceptStat.SUCCESS or AcceptStat.GARBAGE_ARGS or AcceptStat.PROC_UNAVAIL,
                $"seed {seed} call {i}: prog {program} proc {procedure} got {header.AcceptStat} for {Convert.ToHexString(mutated)}");
            answered++;
        }
        Assert.Equal(4000, answered);
        foreach (var l in _harness.Logs) _out.Line(l);
        Assert.DoesNotContain(_harness.Logs, l => l.Contains("SYSTEM_ERR", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal));
        Assert.Equal(outsideBefore, Directory.GetFileSystemEntries(_harness.Tree.Base).Length);

        var after = await _harness.Client().GetAttrAsync(root);
        Assert.Equal(Gateway.Nfs.V3.Nfs3Status.NFS3_OK, after.Status);
    }

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var data = (byte[])seed.Clone();
        switch (rng.Next(5))
        {
            case 0: // flip bytes
                for (var n = rng.Next(1, 6); n > 0 && data.Length > 0; n--) data[rng.Next(data.Length)] ^= (byte)rng.Next(1, 256);
                return data;
            case 1: // truncate
                return data[..rng.Next(data.Length + 1)];
            case 2: // a huge or odd length word somewhere
                if (data.Length >= 4)
                {
                    var at = rng.Next(data.Length / 4) * 4;
                    var value = rng.Next(3) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, _ => (uint)rng.Next(0, 2000) };
                    data[at] = (byte)(value >> 24); data[at + 1] = (byte)(value >> 16); data[at + 2] = (byte)(value >> 8); data[at + 3] = (byte)value;
                }
                return data;
            case 3: // trailing garbage
                var longer = new byte[data.Length + rng.Next(1, 64)];
                data.CopyTo(longer, 0);
                rng.NextBytes(longer.AsSpan(data.Length));
                return longer;
            default: // pure noise
                var noise = new byte[rng.Next(0, 200)];
                rng.NextBytes(noise);
                return noise;
        }
    }

    public void Dispose() => _harness.Dispose();

    /// <summary>Writes a line to the test output (shown with the result).</summary>
    private sealed class ITestOutputHelperShim(Xunit.Abstractions.ITestOutputHelper output)
    {
        public void Line(string text) => output.WriteLine(text);
    }
}
