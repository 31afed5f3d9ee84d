using Gateway.Nfs.Tests.Support;
using Gateway.Nfs.V3;
using Gateway.Rpc;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

// RFC 1813 §4.1 / Juszczak: a retransmitted non-idempotent call must get the first answer.
public sealed class DuplicateRequestTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public DuplicateRequestTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task A_retransmitted_remove_gets_the_first_answer_not_noent()
    {
        var root = await _c.RootAsync();
        Assert.Equal(NFS3_OK, (await _c.CreateAsync(root, "victim")).Status);
        var args = Xdr.Build((ref XdrWriter w) => Wire.DirOp(ref w, root, "victim"));
        var xid = NfsClient.NextXid();

        var first = await _c.RawAsync(NfsClient.NfsProgram, 3, (uint)Nfs3Procedure.REMOVE, args, xid);
        var again = await _c.RawAsync(NfsClient.NfsProgram, 3, (uint)Nfs3Procedure.REMOVE, args, xid);

        Assert.Equal(first, again);
        Assert.Equal((uint)NFS3_OK, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(NfsClient.Results(again)));
        Assert.False(File.Exists(_h.Tree.At("victim")));
        // The same call with a new xid is a new request: now there is nothing to remove.
        Assert.Equal(NFS3ERR_NOENT, (await _c.RemoveAsync(root, "victim")).Status);
    }

    [Fact]
    public async Task A_retransmitted_guarded_create_gets_ok_not_exist()
    {
        var root = await _c.RootAsync();
        var xid = NfsClient.NextXid();
        var first = await _c.CreateAsync(root, "once", mode: 1, xid: xid);
        var again = await _c.CreateAsync(root, "once", mode: 1, xid: xid);
        Assert.Equal(NFS3_OK, first.Status);
        Assert.Equal(first, again with { Handle = first.Handle });
        Assert.Equal(first.Handle, again.Handle);
    }

    [Fact]
    public async Task Modifying_procedures_are_marked_non_idempotent_and_reads_are_not()
    {
        var table = _h.Nfs.GetProcedures(3);
        var cached = table.Where(d => d is { IsNonIdempotent: true }).Select(d => d!.Name).Order().ToArray();
        Assert.Equal(["CREATE", "LINK", "MKDIR", "MKNOD", "REMOVE", "RENAME", "RMDIR", "SETATTR", "SYMLINK", "WRITE"], cached);
        Assert.Equal(22, table.Count);
        Assert.All(table, d => Assert.NotNull(d));
    }
}
