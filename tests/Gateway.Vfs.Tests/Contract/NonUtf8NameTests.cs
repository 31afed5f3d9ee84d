using Gateway.Vfs.Events;
using Gateway.Vfs.Tests.Support;

namespace Gateway.Vfs.Tests.Contract;

/// <summary>
/// Names that are not UTF-8 on disk (old archives: Latin-1 "café" is 63 61 66 E9) are ordinary names:
/// the Vfs shows them with escaped bytes (NameEncoding) and every operation reaches the very same bytes.
/// The disk side is read and written with Python's bytes API, independent of the code under test.
/// </summary>
public abstract partial class VfsContractTests
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Creates files (and directories, for names ending in '/') with exact bytes beneath the export root.</summary>
    private void MakeOnDisk(params byte[][] relativePaths)
    {
        foreach (var path in relativePaths)
        {
            Disk.Run(Python, "-c", """
                import os, sys
                p = os.path.join(os.fsencode(sys.argv[1]), bytes.fromhex(sys.argv[2]))
                if p.endswith(b'/'): os.mkdir(p)
                else: open(p, 'wb').write(b'from an old archive')
                """, Tree.Root, Convert.ToHexString(path));
        }
    }

    /// <summary>The exact bytes of the names in a directory beneath the export root (given as hex bytes), as hex, sorted.</summary>
    private string[] NamesOnDisk(string relativeDirHex = "")
    {
        var output = Disk.Run(Python, "-c", """
            import os, sys
            for n in sorted(os.listdir(os.path.join(os.fsencode(sys.argv[1]), bytes.fromhex(sys.argv[2])))): print(n.hex().upper())
            """, Tree.Root, relativeDirHex);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void A_file_whose_name_is_not_UTF8_is_listed_looked_up_read_renamed_and_removed()
    {
        MakeOnDisk([0x66, 0xFF, 0x6F]);

        var listed = Assert.Single(ListAll(Vfs.Root));
        Assert.Equal("f\uDCFFo", listed.Name);
        var node = LookupOk("f\uDCFFo");
        Assert.Equal(listed.Node, node);
        Assert.Equal("from an old archive", ReadAll(node));

        Assert.Equal(VfsStatus.Ok, Vfs.Rename(Root, Vfs.Root, "f\uDCFFo", Vfs.Root, "caf\uDCE9").Status);
        Assert.Equal(["636166E9"], NamesOnDisk());
        Assert.Equal(VfsStatus.NotFound, Vfs.Lookup(Root, Vfs.Root, "f\uDCFFo").Status);
        Assert.Equal(node, LookupOk("caf\uDCE9"));
        Assert.Equal("from an old archive", ReadAll(node));

        Assert.Equal(VfsStatus.Ok, Vfs.Remove(Root, Vfs.Root, "caf\uDCE9").Status);
        Assert.Empty(NamesOnDisk());
        Assert.Empty(ListAll(Vfs.Root));
    }

    [Fact]
    public void Names_made_through_the_Vfs_with_escaped_bytes_have_exactly_those_bytes_on_disk()
    {
        CreateFile("\uDCC3(", "x");
        var dir = MakeDir("caf\uDCE9");
        CreateFile("\uDCFE\uDCFF.txt", dir: dir);
        Assert.Equal(VfsStatus.Ok, Vfs.Symlink(Root, Vfs.Root, "l\uDC80", "t\uDCFF/\uDCE9").Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Mknod(Root, Vfs.Root, "fifo\uDCA0", FileType.Fifo, 0x1A4).Status);
        Assert.Equal(VfsStatus.Ok, Vfs.Link(Root, LookupOk("\uDCC3("), dir, "link\uDCC3").Status);

        Assert.Equal(["636166E9", "6669666FA0", "6C80", "C328"], NamesOnDisk());
        Assert.Equal(["6C696E6BC3", "FEFF2E747874"], NamesOnDisk("636166E9"));
    }

    [Fact]
    public void A_symlink_target_that_is_not_UTF8_round_trips_both_ways()
    {
        Assert.Equal(VfsStatus.Ok, Vfs.Symlink(Root, Vfs.Root, "mine", "t\uDCFF/\uDCE9").Status);
        var target = Disk.Run(Python, "-c", "import os, sys; print(os.readlink(os.path.join(os.fsencode(sys.argv[1]), b'mine')).hex().upper())", Tree.Root).Trim();
        Assert.Equal("74FF2FE9", target);
        Assert.Equal("t\uDCFF/\uDCE9", Vfs.ReadLink(Root, LookupOk("mine")).Value);

        Disk.Run(Python, "-c", "import os, sys; os.symlink(b'\\xc3(/x', os.path.join(os.fsencode(sys.argv[1]), b'theirs'))", Tree.Root);
        Assert.Equal("\uDCC3(/x", Vfs.ReadLink(Root, LookupOk("theirs")).Value);
    }

    [Theory]
    [InlineData(@"\uD800")]             // a high surrogate alone
    [InlineData(@"a\uDC7F")]            // a lone low surrogate below the escape range: no byte
    [InlineData(@"\uDE00b")]
    [InlineData(@"\uDCC3\uDCA9")]       // escapes that spell the UTF-8 of "é": another name, not this one
    public void A_string_that_stands_for_no_bytes_is_an_invalid_name_and_never_reaches_the_disk(string name)
    {
        name = NameEncodingTests.Unescape(name); // written escaped: see there
        var existing = CreateFile("existing");
        Assert.Equal(VfsStatus.InvalidName, Vfs.Create(Root, Vfs.Root, name, CreateHow.Guarded()).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Mkdir(Root, Vfs.Root, name).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Symlink(Root, Vfs.Root, name, "t").Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Symlink(Root, Vfs.Root, "s", name).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Lookup(Root, Vfs.Root, name).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Rename(Root, Vfs.Root, "existing", Vfs.Root, name).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Link(Root, existing, Vfs.Root, name).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.Remove(Root, Vfs.Root, name).Status);
        Assert.Equal(["6578697374696E67"], NamesOnDisk());
    }

    [Fact]
    public void Name_length_is_counted_in_on_disk_bytes_escapes_included()
    {
        Assert.Equal(VfsStatus.Ok, Vfs.Create(Root, Vfs.Root, new string('\uDCFF', 255), CreateHow.Guarded()).Status);
        Assert.Equal(VfsStatus.NameTooLong, Vfs.Create(Root, Vfs.Root, new string('\uDCFF', 256), CreateHow.Guarded()).Status);
        Assert.Equal([new string('F', 510)], NamesOnDisk());
    }

    [Fact]
    public void Nodes_under_names_that_are_not_UTF8_keep_their_ids_and_exact_names_across_a_restart()
    {
        MakeOnDisk([0x64, 0xE9, 0x2F], [0x64, 0xE9, 0x2F, 0x66, 0xFF]); // "d\xE9/" and "d\xE9/f\xFF"
        var dir = LookupOk("d\uDCE9");
        var file = LookupOk("f\uDCFF", dir);
        var untouched = CreateFile("plain-é");

        Restart();
        // The Store kept the exact names: the nodes resolve by their stored path, no repair by inode needed.
        var exportId = Store.EnsureExport("test", Tree.Root);
        var rows = Store.LoadNodes(exportId);
        Assert.Contains(rows, r => r.Id == dir && r.Name == "d\uDCE9");
        Assert.Contains(rows, r => r.Id == file && r.Name == "f\uDCFF" && r.Parent == dir);
        Assert.Contains(rows, r => r.Id == untouched && r.Name == "plain-é");
        Assert.Equal(VfsStatus.Ok, Vfs.GetAttr(file).Status);
        Assert.Equal("from an old archive", ReadAll(file));
        Assert.Equal(file, LookupOk("f\uDCFF", LookupOk("d\uDCE9")));
        Assert.Equal(untouched, LookupOk("plain-é"));
    }

    [Fact]
    public void Listing_cookies_of_UTF8_names_do_not_depend_on_their_non_UTF8_neighbours()
    {
        CreateFile("a");
        CreateFile("b");
        var before = ListAll(Vfs.Root).ToDictionary(e => e.Name, e => e.Cookie);
        MakeOnDisk([0x61, 0x80], [0xFF, 0xFE]);
        var after = ListAll(Vfs.Root, pageSize: 1).ToDictionary(e => e.Name, e => e.Cookie);
        Assert.Equal(["a", "a\uDC80", "b", "\uDCFF\uDCFE"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["a"], after["a"]);
        Assert.Equal(before["b"], after["b"]);
        Assert.Equal(4, after.Values.Distinct().Count());
    }

    [Fact]
    public void An_outside_change_to_a_name_that_is_not_UTF8_is_published_with_its_escaped_name()
    {
        var seen = new List<VfsChange>();
        using var _ = Vfs.Changes.Subscribe(c => { lock (seen) seen.Add(c); });
        MakeOnDisk([0x6E, 0x65, 0x77, 0xE9]);
        SyncExternal(Vfs);
        lock (seen) Assert.Contains(seen, c => c is { Kind: ChangeKind.Created, Name: "new\uDCE9", External: true });
    }

    [Fact]
    public void Xattr_names_stay_UTF8_escaped_bytes_are_refused()
    {
        var f = CreateFile("x");
        Assert.Equal(VfsStatus.InvalidName, Vfs.SetXattr(Root, f, "a\uDCFF", "v"u8).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.SetXattr(Root, f, "a\uD800", "v"u8).Status);
        Assert.Equal(VfsStatus.InvalidName, Vfs.GetXattr(Root, f, "a\uDCFF").Status);
    }
}
