namespace Gateway.Vfs.Tests.Contract;

public abstract partial class VfsContractTests
{
    [Fact]
    public void ReadDir_lists_2000_entries_across_pages_exactly_once()
    {
        var d = MakeDir("big");
        for (var i = 0; i < 2000; i++) File.WriteAllText(Tree.At($"big/file-{i:D4}"), "");
        var all = ListAll(d, pageSize: 37);
        Assert.Equal(2000, all.Count);
        Assert.Equal(2000, all.Select(e => e.Name).Distinct().Count());
        Assert.Equal(2000, all.Select(e => e.Cookie).Distinct().Count());
        Assert.All(all, e => Assert.NotEqual(0UL, e.Node.Value));
    }

    [Fact]
    public void A_listing_resumed_after_adds_and_removes_has_no_duplicates_and_keeps_every_survivor()
    {
        var d = MakeDir("d");
        for (var i = 0; i < 300; i++) File.WriteAllText(Tree.At($"d/e{i}"), "");
        var first = Vfs.ReadDir(Root, d, 0, 100, withAttributes: false).Value;
        Assert.False(first.Eof);
        var seen = first.Entries.Select(e => e.Name).ToList();

        // Other clients change the directory between two pages.
        for (var i = 0; i < 300; i += 3) File.Delete(Tree.At($"d/e{i}"));
        for (var i = 0; i < 50; i++) File.WriteAllText(Tree.At($"d/new{i}"), "");
        Vfs.Remove(Root, d, "e1");

        var cookie = first.Entries[^1].Cookie;
        while (true)
        {
            var page = Vfs.ReadDir(Root, d, cookie, 100, withAttributes: false);
            Assert.Equal(VfsStatus.Ok, page.Status);
            seen.AddRange(page.Value.Entries.Select(e => e.Name));
            if (page.Value.Eof) break;
            cookie = page.Value.Entries[^1].Cookie;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var survivors = Directory.GetFiles(Tree.At("d")).Select(Path.GetFileName).Where(n => n!.StartsWith('e'));
        Assert.All(survivors, s => Assert.Contains(s, seen));
    }

    [Fact]
    public void A_cookie_of_a_removed_entry_still_resumes_the_listing()
    {
        var d = MakeDir("d");
        for (var i = 0; i < 20; i++) File.WriteAllText(Tree.At($"d/x{i}"), "");
        var first = Vfs.ReadDir(Root, d, 0, 5, withAttributes: false).Value;
        var last = first.Entries[^1];
        File.Delete(Tree.At($"d/{last.Name}"));
        var next = Vfs.ReadDir(Root, d, last.Cookie, 100, withAttributes: false);
        Assert.Equal(VfsStatus.Ok, next.Status);
        Assert.Equal(15, next.Value.Entries.Count); // 20 - the 5 already listed; the removed one was among them
    }

    [Fact]
    public void ReadDir_plus_returns_attributes_and_types()
    {
        CreateFile("f", "12345");
        MakeDir("d");
        Vfs.Symlink(Root, Vfs.Root, "s", "f");
        var page = Vfs.ReadDir(Root, Vfs.Root, 0, 100, withAttributes: true).Value;
        Assert.True(page.Eof);
        var byName = page.Entries.ToDictionary(e => e.Name);
        Assert.Equal(3, byName.Count);
        Assert.Equal(5UL, byName["f"].Attributes!.Value.Size);
        Assert.Equal(FileType.Directory, byName["d"].Type);
        Assert.Equal(FileType.Symlink, byName["s"].Type);
        Assert.Equal(byName["f"].Node, LookupOk("f"));
    }

    [Fact]
    public void ReadDir_of_a_file_is_NotDirectory_and_of_an_empty_directory_is_empty_eof()
    {
        var f = CreateFile("f");
        Assert.Equal(VfsStatus.NotDirectory, Vfs.ReadDir(Root, f, 0, 10, false).Status);
        var d = MakeDir("d");
        var page = Vfs.ReadDir(Root, d, 0, 10, false).Value;
        Assert.Empty(page.Entries);
        Assert.True(page.Eof);
    }
}
