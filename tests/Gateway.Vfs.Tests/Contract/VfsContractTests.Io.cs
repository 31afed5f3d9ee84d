using System.Text;

namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Theory]
    [InlineData(WriteStability.Unstable)]
    [InlineData(WriteStability.DataSync)]
    [InlineData(WriteStability.FileSync)]
    public async Task Write_then_read_returns_the_same_bytes(WriteStability stability)
    {
        var f = CreateFile("f");
        var data = new byte[300_000];
        new Random(42).NextBytes(data);
        var w = await Vfs.WriteAsync(Root, f, 0, data, stability);
        Assert.Equal(VfsStatus.Ok, w.Status);
        Assert.Equal(data.Length, w.Value.Count);
        Assert.Equal(stability, w.Value.Committed);
        Assert.Equal((ulong)data.Length, w.Value.After.Size);
        Assert.Equal(0UL, w.Value.Before!.Value.Size);
        var buffer = new byte[data.Length + 10];
        var r = await Vfs.ReadAsync(Root, f, 0, buffer);
        Assert.Equal(data.Length, r.Value.Count);
        Assert.True(r.Value.Eof);
        Assert.Equal(data, buffer[..data.Length]);
        Assert.Equal(data, File.ReadAllBytes(Tree.At("f")));
    }

    [Fact]
    public async Task Read_reports_eof_only_at_the_end()
    {
        var f = CreateFile("f", "abcdef");
        var buffer = new byte[3];
        var first = await Vfs.ReadAsync(Root, f, 0, buffer);
        Assert.Equal((3, false), (first.Value.Count, first.Value.Eof));
        var second = await Vfs.ReadAsync(Root, f, 3, buffer);
        Assert.Equal((3, true), (second.Value.Count, second.Value.Eof));
        var past = await Vfs.ReadAsync(Root, f, 100, buffer);
        Assert.Equal((0, true), (past.Value.Count, past.Value.Eof));
    }

    [Fact]
    public async Task A_write_past_the_end_makes_a_sparse_hole_of_zeros()
    {
        var f = CreateFile("f", "ab");
        await Vfs.WriteAsync(Root, f, 1 << 20, "z"u8.ToArray(), WriteStability.Unstable);
        Assert.Equal((1UL << 20) + 1, Vfs.GetAttr(f).Value.Size);
        var bytes = File.ReadAllBytes(Tree.At("f"));
        Assert.Equal((byte)'z', bytes[^1]);
        Assert.All(bytes[2..^1], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Commit_returns_the_write_verifier_which_changes_on_restart()
    {
        var f = CreateFile("f");
        var w = await Vfs.WriteAsync(Root, f, 0, "x"u8.ToArray(), WriteStability.Unstable);
        var c = await Vfs.CommitAsync(f);
        Assert.Equal(VfsStatus.Ok, c.Status);
        Assert.Equal(w.Value.Verifier, c.Value);
        var before = Vfs.WriteVerifier;
        Restart();
        Assert.NotEqual(before, Vfs.WriteVerifier);
    }

    [Fact]
    public async Task Reading_or_writing_a_directory_is_IsDirectory()
    {
        var d = MakeDir("d");
        Assert.Equal(VfsStatus.IsDirectory, (await Vfs.ReadAsync(Root, d, 0, new byte[4])).Status);
        Assert.Equal(VfsStatus.IsDirectory, (await Vfs.WriteAsync(Root, d, 0, new byte[4], WriteStability.Unstable)).Status);
    }

    [Fact]
    public async Task Writes_from_the_vfs_and_from_the_disk_see_each_other()
    {
        var f = CreateFile("f", "vfs");
        Assert.Equal("vfs", File.ReadAllText(Tree.At("f")));
        File.WriteAllText(Tree.At("f"), "disk!");
        var buffer = new byte[16];
        var r = await Vfs.ReadAsync(Root, f, 0, buffer);
        Assert.Equal("disk!", Encoding.UTF8.GetString(buffer, 0, r.Value.Count));
    }

    [Fact]
    public async Task A_non_owner_without_write_permission_cannot_write()
    {
        var f = CreateFile("f", "keep");
        Vfs.SetAttr(Root, f, new SetAttributes { Mode = 0x1A4 });
        Assert.Equal(VfsStatus.AccessDenied, (await Vfs.WriteAsync(User, f, 0, "no"u8.ToArray(), WriteStability.Unstable)).Status);
        Vfs.SetAttr(Root, f, new SetAttributes { Mode = 0x180 });
        Assert.Equal(VfsStatus.AccessDenied, (await Vfs.ReadAsync(User, f, 0, new byte[4])).Status);
        Assert.Equal("keep", File.ReadAllText(Tree.At("f")));
    }

    [Fact]
    public async Task A_write_beyond_the_largest_file_is_FileTooBig_and_a_read_there_is_empty_eof()
    {
        var f = CreateFile("f", "x");
        Assert.Equal(VfsStatus.FileTooBig, (await Vfs.WriteAsync(Root, f, long.MaxValue - 10, "y"u8.ToArray(), WriteStability.Unstable)).Status);
        var r = await Vfs.ReadAsync(Root, f, long.MaxValue - 10, new byte[4]);
        Assert.Equal((0, true), (r.Value.Count, r.Value.Eof));
        Assert.Equal("x", File.ReadAllText(Tree.At("f")));
    }
}
