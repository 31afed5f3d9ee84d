using System.Text;
using Gateway.Nfs.Tests.Support;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

public sealed class IoTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public IoTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    private async Task<byte[]> NewFileAsync(string name = "f")
    {
        var created = await _c.CreateAsync(await _c.RootAsync(), name);
        Assert.Equal(NFS3_OK, created.Status);
        return created.Handle!;
    }

    [Fact]
    public async Task Write_then_read_returns_the_data_and_eof()
    {
        var file = await NewFileAsync();
        var write = await _c.WriteAsync(file, 0, "hello, nfs"u8.ToArray(), stable: 2);
        Assert.Equal(NFS3_OK, write.Status);
        Assert.Equal(10u, write.Count);
        Assert.NotNull(write.Wcc.Before);
        Assert.Equal(10ul, write.Wcc.After!.Size);
        var read = await _c.ReadAsync(file, 0, 100);
        Assert.Equal(NFS3_OK, read.Status);
        Assert.Equal("hello, nfs", Encoding.UTF8.GetString(read.Data));
        Assert.True(read.Eof);
        Assert.Equal(10ul, read.Attributes!.Size);
        Assert.Equal("hello, nfs", File.ReadAllText(_h.Tree.At("f")));
    }

    [Fact]
    public async Task Read_in_the_middle_is_not_eof_and_past_the_end_is_empty_with_eof()
    {
        var file = await NewFileAsync();
        await _c.WriteAsync(file, 0, "0123456789"u8.ToArray());
        var middle = await _c.ReadAsync(file, 2, 3);
        Assert.Equal("234", Encoding.UTF8.GetString(middle.Data));
        Assert.False(middle.Eof);
        var tail = await _c.ReadAsync(file, 7, 3);
        Assert.Equal("789", Encoding.UTF8.GetString(tail.Data));
        Assert.True(tail.Eof);
        var past = await _c.ReadAsync(file, 100, 10);
        Assert.Equal(NFS3_OK, past.Status);
        Assert.Empty(past.Data);
        Assert.True(past.Eof);
    }

    [Fact]
    public async Task A_read_with_an_odd_count_is_padded_on_the_wire()
    {
        var file = await NewFileAsync();
        await _c.WriteAsync(file, 0, "abcde"u8.ToArray());
        var read = await _c.ReadAsync(file, 0, 5); // the parser checks the padding is zero and fully consumed
        Assert.Equal("abcde", Encoding.UTF8.GetString(read.Data));
    }

    [Fact]
    public async Task Read_count_is_capped_at_rtmax()
    {
        var file = await NewFileAsync();
        var data = new byte[(1 << 20) + 4096];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(_h.Tree.At("f"), data);
        var read = await _c.ReadAsync(file, 0, 4u << 20);
        Assert.Equal(NFS3_OK, read.Status);
        Assert.Equal(1u << 20, read.Count);
        Assert.False(read.Eof);
        Assert.Equal(data.AsSpan(0, 1 << 20).ToArray(), read.Data);
    }

    [Fact]
    public async Task Unstable_write_and_commit_return_the_same_boot_verifier()
    {
        var file = await NewFileAsync();
        var write = await _c.WriteAsync(file, 0, new byte[5000], stable: 0);
        Assert.Equal(NFS3_OK, write.Status);
        var commit = await _c.CommitAsync(file);
        Assert.Equal(NFS3_OK, commit.Status);
        Assert.Equal(write.Verifier, commit.Verifier);
        Assert.Equal(_h.Vfs.WriteVerifier, commit.Verifier);
        Assert.NotNull(commit.Wcc.Before);
        Assert.Equal(5000ul, commit.Wcc.After!.Size);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(2u)]
    public async Task Write_reports_at_least_the_stability_asked(uint stable)
    {
        var write = await _c.WriteAsync(await NewFileAsync(), 0, new byte[10], stable);
        Assert.Equal(NFS3_OK, write.Status);
        Assert.True(write.Committed >= stable);
        Assert.True(write.Committed <= 2);
    }

    [Fact]
    public async Task A_write_announcing_more_than_it_carries_is_inval_with_wcc_data()
    {
        var file = await NewFileAsync();
        var reply = await _c.WriteAsync(file, 0, new byte[4], count: 8);
        Assert.Equal(NFS3ERR_INVAL, reply.Status);
        Assert.NotNull(reply.Wcc.After);
        Assert.Equal(0, new FileInfo(_h.Tree.At("f")).Length);
    }

    [Fact]
    public async Task A_write_with_an_unknown_stable_how_is_garbage_args()
    {
        var file = await NewFileAsync();
        var args = Xdr.Build((ref XdrWriter w) =>
        {
            w.WriteOpaque(file);
            w.WriteUInt64(0);
            w.WriteUInt32(1);
            w.WriteUInt32(3);
            w.WriteOpaque([1]);
        });
        var record = await _c.RawAsync(NfsClient.NfsProgram, 3, (uint)Nfs3Procedure.WRITE, args);
        Assert.Equal(AcceptStat.GARBAGE_ARGS, NfsClient.Accept(record).Stat);
    }

    [Fact]
    public async Task Read_of_a_directory_is_isdir_with_its_attributes()
    {
        var root = await _c.RootAsync();
        var read = await _c.ReadAsync(root, 0, 10);
        Assert.Equal(NFS3ERR_ISDIR, read.Status);
        Assert.NotNull(read.Attributes);
        Assert.Equal(NFS3ERR_ISDIR, (await _c.WriteAsync(root, 0, [1])).Status);
    }

    [Fact]
    public async Task Writes_at_an_offset_extend_the_file_sparsely()
    {
        var file = await NewFileAsync();
        await _c.WriteAsync(file, 1 << 20, "end"u8.ToArray());
        var attributes = (await _c.GetAttrAsync(file)).Attributes!;
        Assert.Equal((1ul << 20) + 3, attributes.Size);
        var start = await _c.ReadAsync(file, 0, 4);
        Assert.Equal(new byte[4], start.Data);
    }
}
