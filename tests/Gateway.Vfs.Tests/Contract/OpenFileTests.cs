using System.Text;
using Gateway.Vfs.Events;

namespace Gateway.Vfs.Tests.Contract;

/// <summary>IVfs.Open / IVfsOpenFile / CopyRangeAsync: what FUSE (and SMB) opens rely on.</summary>
public abstract partial class VfsContractTests
{
    private IVfsOpenFile OpenOk(NodeId node, OpenAccess access, Principal? who = null, bool truncate = false)
    {
        var r = Vfs.Open(who ?? Root, node, access, truncate);
        Assert.Equal(VfsStatus.Ok, r.Status);
        return r.Value;
    }

    private static async Task<string> ReadVia(IVfsOpenFile f, long offset = 0, int max = 1 << 16)
    {
        var buf = new byte[max];
        var r = await f.ReadAsync(offset, buf);
        Assert.Equal(VfsStatus.Ok, r.Status);
        return Encoding.UTF8.GetString(buf, 0, r.Value.Count);
    }

    [Fact]
    public async Task Open_file_reads_and_writes_the_file_on_disk()
    {
        var node = CreateFile("o.txt", "hello");
        using var f = OpenOk(node, OpenAccess.Read | OpenAccess.Write);
        Assert.True(f.CanRead && f.CanWrite);
        Assert.Equal(node, f.Node);
        Assert.Equal("hello", await ReadVia(f));
        var w = (await f.WriteAsync(5, " world"u8.ToArray(), WriteStability.FileSync));
        Assert.Equal(VfsStatus.Ok, w.Status);
        Assert.Equal(6, w.Value.Count);
        Assert.Equal(11ul, w.Value.After.Size);
        Assert.Equal("hello world", File.ReadAllText(Tree.At("o.txt")));
        Assert.Equal(VfsStatus.Ok, (await f.FlushAsync(dataOnly: false)));
        Assert.NotNull(f.BackingHandle);
    }

    [Fact]
    public async Task Open_file_keeps_working_after_its_last_name_is_removed()
    {
        var node = CreateFile("gone", "data");
        using var f = OpenOk(node, OpenAccess.Read | OpenAccess.Write);
        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, Vfs.Root, "gone").Status);
        Assert.False(File.Exists(Tree.At("gone")));
        Assert.Equal("data", await ReadVia(f));
        Assert.Equal(VfsStatus.Ok, (await f.WriteAsync(4, "+more"u8.ToArray(), WriteStability.Unstable)).Status);
        Assert.Equal("data+more", await ReadVia(f));
        var a = f.GetAttr();
        Assert.Equal(VfsStatus.Ok, a.Status);
        Assert.Equal(0u, a.Value.Nlink);
        Assert.Equal(9ul, a.Value.Size);
        Assert.Equal(VfsStatus.Ok, f.SetLength(2));
        Assert.Equal("da", await ReadVia(f));
    }

    [Fact]
    public async Task Open_checks_the_callers_permission_and_the_file_type()
    {
        var node = CreateFile("private", "secret");
        Support.Disk.Run("chmod", "600", Tree.At("private"));
        Assert.Equal(VfsStatus.AccessDenied, Vfs.Open(User, node, OpenAccess.Read).Status);
        Support.Disk.Run("chmod", "604", Tree.At("private"));
        using (var r = OpenOk(node, OpenAccess.Read, User)) Assert.False(r.CanWrite);
        Assert.Equal(VfsStatus.AccessDenied, Vfs.Open(User, node, OpenAccess.Write).Status);

        var dir = MakeDir("d");
        Assert.Equal(VfsStatus.IsDirectory, Vfs.Open(Root, dir, OpenAccess.Read).Status);
        Assert.Equal(VfsStatus.Invalid, Vfs.Open(Root, node, OpenAccess.Read, truncate: true).Status);
        Assert.Equal(VfsStatus.Invalid, Vfs.Open(Root, node, 0).Status);
    }

    [Fact]
    public async Task Open_with_truncate_empties_the_file_and_says_so()
    {
        var node = CreateFile("t", "0123456789");
        var changes = new List<VfsChange>();
        using var sub = Vfs.Changes.Subscribe(c => { lock (changes) changes.Add(c); });
        using var f = OpenOk(node, OpenAccess.Write, truncate: true);
        Assert.Equal(0, new FileInfo(Tree.At("t")).Length);
        lock (changes) Assert.Contains(changes, c => c.Kind == ChangeKind.DataModified && c.Node == node && !c.External);
        Assert.Equal(VfsStatus.AccessDenied, (await f.ReadAsync(0, new byte[4])).Status);
    }

    [Fact]
    public async Task Open_for_write_on_a_read_only_export_is_refused()
    {
        CreateFile("ro", "x");
        var ro = OpenExtra("readonly", Tree.Root, readOnly: true);
        var node = ro.LookupPath(Root, "ro").Value;
        Assert.Equal(VfsStatus.ReadOnly, ro.Open(Root, node, OpenAccess.Write).Status);
        using var r = ro.Open(Root, node, OpenAccess.Read).Value;
        Assert.Equal("x", await ReadVia(r));
    }

    [Fact]
    public async Task Allocate_punch_and_seek_for_data_and_holes()
    {
        var node = CreateFile("sparse");
        using var f = OpenOk(node, OpenAccess.Read | OpenAccess.Write);
        Assert.Equal(VfsStatus.Ok, f.Allocate(0, 1 << 20, AllocateMode.Default));
        Assert.Equal(1 << 20, new FileInfo(Tree.At("sparse")).Length);
        Assert.Equal(VfsStatus.Ok, f.Allocate(0, 4096, AllocateMode.PunchHole));
        var hole = f.Seek(0, SeekWhence.Hole);
        Assert.Equal(VfsStatus.Ok, hole.Status);
        Assert.True(hole.Value >= 0 && hole.Value <= 1 << 20);
        Assert.Equal(VfsStatus.NotFound, f.Seek(2 << 20, SeekWhence.Data).Status); // ENXIO: past the end
        Assert.Equal(VfsStatus.Invalid, f.Allocate(-1, 10, AllocateMode.Default));
    }

    [Fact]
    public async Task CopyRange_copies_between_open_files()
    {
        var src = CreateFile("src", "abcdefghij");
        var dst = CreateFile("dst", "0123456789");
        using var s = OpenOk(src, OpenAccess.Read);
        using var d = OpenOk(dst, OpenAccess.Read | OpenAccess.Write);
        var r = (await Vfs.CopyRangeAsync(Root, s, 2, d, 5, 4));
        Assert.Equal(VfsStatus.Ok, r.Status);
        Assert.Equal(4, r.Value);
        Assert.Equal("01234cdef9", File.ReadAllText(Tree.At("dst")));
        var past = (await Vfs.CopyRangeAsync(Root, s, 8, d, 0, 100));
        Assert.Equal(2, past.Value); // stops at the source's end
        Assert.Equal(VfsStatus.AccessDenied, (await Vfs.CopyRangeAsync(Root, d, 0, s, 0, 1)).Status);
    }

    [Fact]
    public async Task A_write_through_an_open_file_is_published_as_ours()
    {
        var node = CreateFile("pub", "");
        var changes = new List<VfsChange>();
        using var sub = Vfs.Changes.Subscribe(c => { lock (changes) changes.Add(c); });
        using var f = OpenOk(node, OpenAccess.Write);
        Assert.Equal(VfsStatus.Ok, (await f.WriteAsync(0, "x"u8.ToArray(), WriteStability.Unstable)).Status);
        lock (changes) Assert.Contains(changes, c => c.Kind == ChangeKind.DataModified && c.Node == node && !c.External);
    }
}
