namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>
    /// NFSv3 and SMB read and write by node, with no close: a client touching thousands of files must not
    /// make the gateway hold a descriptor per file (smbtorture's maxfid ran a gateway out of descriptors).
    /// </summary>
    [Fact]
    public async Task Writing_and_reading_thousands_of_files_keeps_the_descriptors_bounded()
    {
        var before = OpenDescriptors();
        var nodes = new List<NodeId>();
        for (var i = 0; i < 3000; i++)
        {
            var c = Vfs.Create(Root, Vfs.Root, $"f{i}", CreateHow.Guarded());
            Assert.Equal(VfsStatus.Ok, c.Status);
            var w = await Vfs.WriteAsync(Root, c.Value.Node, 0, new byte[] { (byte)i }, WriteStability.Unstable);
            Assert.Equal(VfsStatus.Ok, w.Status);
            nodes.Add(c.Value.Node);
        }
        var buffer = new byte[1];
        for (var i = 0; i < nodes.Count; i++)
        {
            var r = await Vfs.ReadAsync(Root, nodes[i], 0, buffer);
            Assert.Equal(VfsStatus.Ok, r.Status);
            Assert.Equal((byte)i, buffer[0]);
        }
        // The O_PATH cache (4096) and the I/O cache (1024) are the bound; 3000 files would be 6000 without one.
        Assert.InRange(OpenDescriptors() - before, 0, 4096 + 1024 + 64);
        Assert.True(OpenDescriptors() - before < 5500, $"{OpenDescriptors() - before} descriptors held for 3000 files");
    }
}
