using Gateway.Nfs.Tests.Support;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.Tests.V3;

public sealed class ReadDirTests : IDisposable
{
    private readonly NfsHarness _h = new();
    private readonly NfsClient _c;

    public ReadDirTests() => _c = _h.Client();

    public void Dispose() => _h.Dispose();

    private void Files(string dir, int count, string prefix = "file")
    {
        Directory.CreateDirectory(_h.Tree.At(dir));
        for (var i = 0; i < count; i++) File.Create(Path.Combine(_h.Tree.At(dir), $"{prefix}{i:D4}")).Dispose();
    }

    private async Task<byte[]> DirAsync(string name) => (await _c.LookupAsync(await _c.RootAsync(), name)).Handle!;

    /// <summary>Every page from a cookie to eof, as a client pages through a listing.</summary>
    private async Task<(List<DirEntry3> Entries, int Pages)> ListAllAsync(byte[] dir, bool plus, uint size, ulong cookie = 0)
    {
        var all = new List<DirEntry3>();
        ulong verifier = 0;
        for (var pages = 1; pages < 10_000; pages++)
        {
            var page = plus ? await _c.ReadDirPlusAsync(dir, cookie, verifier, dircount: size / 4, maxcount: size) : await _c.ReadDirAsync(dir, cookie, verifier, size);
            Assert.Equal(NFS3_OK, page.Status);
            all.AddRange(page.Entries);
            if (page.Eof) return (all, pages);
            Assert.NotEmpty(page.Entries);
            cookie = page.Entries[^1].Cookie;
            verifier = page.Verifier;
        }
        throw new InvalidOperationException("no eof");
    }

    [Fact]
    public async Task Readdir_lists_dot_and_dotdot_first_with_cookies_1_and_2()
    {
        Files("d", 3);
        var dir = await DirAsync("d");
        var page = await _c.ReadDirAsync(dir);
        Assert.Equal(NFS3_OK, page.Status);
        Assert.True(page.Eof);
        Assert.Equal([".", "..", "file0000", "file0001", "file0002"], page.Entries.Select(e => e.Name).Take(2).Concat(page.Entries.Skip(2).Select(e => e.Name).Order()));
        Assert.Equal(1ul, page.Entries[0].Cookie);
        Assert.Equal(2ul, page.Entries[1].Cookie);
        Assert.All(page.Entries.Skip(2), e => Assert.True(e.Cookie > 2));
        var dirId = (await _c.GetAttrAsync(dir)).Attributes!.FileId;
        Assert.Equal(dirId, page.Entries[0].FileId);
        Assert.Equal(_h.Vfs.Root.Value, page.Entries[1].FileId);
    }

    [Fact]
    public async Task Resuming_from_cookie_1_starts_at_dotdot_and_from_cookie_2_at_the_first_real_entry()
    {
        Files("d", 2);
        var dir = await DirAsync("d");
        Assert.Equal("..", (await _c.ReadDirAsync(dir, cookie: 1)).Entries[0].Name);
        var fromTwo = await _c.ReadDirAsync(dir, cookie: 2);
        Assert.Equal(2, fromTwo.Entries.Count);
        Assert.DoesNotContain(fromTwo.Entries, e => e.Name is "." or "..");
    }

    [Fact]
    public async Task Readdirplus_of_2000_entries_across_pages_lists_each_once_with_a_working_handle()
    {
        Files("big", 2000);
        var dir = await DirAsync("big");
        var (entries, pages) = await ListAllAsync(dir, plus: true, size: 16 * 1024);
        Assert.True(pages > 10, $"{pages} pages");
        var names = entries.Select(e => e.Name).Where(n => n is not "." and not "..").ToList();
        Assert.Equal(2000, names.Count);
        Assert.Equal(2000, names.Distinct().Count());
        Assert.Equal(entries.Count, entries.Select(e => e.Cookie).Distinct().Count());
        Assert.All(entries, e =>
        {
            Assert.NotNull(e.Attributes);
            Assert.NotNull(e.Handle);
            Assert.Equal(e.FileId, e.Attributes!.FileId);
        });
        var sample = entries.First(e => e.Name == "file1234");
        Assert.Equal(sample.FileId, (await _c.GetAttrAsync(sample.Handle!)).Attributes!.FileId);
    }

    [Fact]
    public async Task Readdir_of_2000_entries_in_small_pages_lists_each_once_and_ends_with_one_eof()
    {
        Files("big", 2000);
        var (entries, pages) = await ListAllAsync(await DirAsync("big"), plus: false, size: 4096);
        Assert.True(pages > 10, $"{pages} pages");
        Assert.Equal(2002, entries.Count);
        Assert.Equal(2002, entries.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public async Task Every_page_fits_the_byte_count_the_client_gave()
    {
        Files("big", 300);
        var dir = await DirAsync("big");
        foreach (var size in new uint[] { 512, 1024, 4096 })
        {
            var page = await _c.ReadDirAsync(dir, count: size);
            var encoded = 4 + 88 + 8 + page.Entries.Sum(e => 4 + 8 + 4 + ((e.Name.Length + 3) & ~3) + 8) + 4 + 4;
            Assert.True(encoded <= size, $"{encoded} bytes for count {size}");
            var plus = await _c.ReadDirPlusAsync(dir, maxcount: size * 4, dircount: size);
            var plusEncoded = 4 + 88 + 8 + plus.Entries.Sum(e => 4 + 8 + 4 + ((e.Name.Length + 3) & ~3) + 8 + 88 + 40) + 4 + 4;
            Assert.True(plusEncoded <= size * 4, $"{plusEncoded} bytes for maxcount {size * 4}");
        }
    }

    [Fact]
    public async Task Resuming_with_an_old_cookie_after_adds_and_removes_lists_every_survivor_once()
    {
        Files("d", 200);
        var dir = await DirAsync("d");
        var first = await _c.ReadDirAsync(dir, count: 2048);
        Assert.False(first.Eof);
        var seen = first.Entries.Select(e => e.Name).ToHashSet();
        var oldCookie = first.Entries[^1].Cookie;

        // The directory changes behind the listing: some seen and unseen names go, new ones come.
        for (var i = 0; i < 200; i += 7) Assert.Equal(NFS3_OK, (await _c.RemoveAsync(dir, $"file{i:D4}")).Status);
        for (var i = 0; i < 30; i++) Assert.Equal(NFS3_OK, (await _c.CreateAsync(dir, $"new{i:D2}")).Status);

        var (rest, _) = await ListAllAsync(dir, plus: false, size: 2048, cookie: oldCookie);
        Assert.Equal(rest.Count, rest.Select(e => e.Name).Distinct().Count());
        Assert.DoesNotContain(rest, e => seen.Contains(e.Name));
        var current = (await ListAllAsync(dir, plus: false, size: 1 << 16)).Entries;
        var expected = current.Where(e => e.Cookie > oldCookie).Select(e => e.Name).Order().ToList();
        Assert.Equal(expected, rest.Select(e => e.Name).Order().ToList());
        Assert.DoesNotContain(rest, e => e.Name == "file0007");
    }

    [Fact]
    public async Task A_cookie_verifier_that_does_not_match_is_still_served()
    {
        Files("d", 50);
        var dir = await DirAsync("d");
        var first = await _c.ReadDirAsync(dir, count: 1024);
        var next = await _c.ReadDirAsync(dir, first.Entries[^1].Cookie, verifier: first.Verifier ^ 0xFFFF, count: 1024);
        Assert.Equal(NFS3_OK, next.Status);
        Assert.NotEmpty(next.Entries);
    }

    [Fact]
    public async Task A_count_too_small_for_one_entry_is_toosmall()
    {
        var root = await _c.RootAsync();
        var reply = await _c.ReadDirAsync(root, count: 100);
        Assert.Equal(NFS3ERR_TOOSMALL, reply.Status);
        Assert.NotNull(reply.DirAttributes);
        Assert.Equal(NFS3ERR_TOOSMALL, (await _c.ReadDirPlusAsync(root, maxcount: 200)).Status);
    }

    [Fact]
    public async Task Readdir_of_a_file_is_notdir()
    {
        var file = await _c.CreateAsync(await _c.RootAsync(), "plain");
        var reply = await _c.ReadDirAsync(file.Handle!);
        Assert.Equal(NFS3ERR_NOTDIR, reply.Status);
        Assert.NotNull(reply.DirAttributes);
    }

    [Fact]
    public async Task An_empty_directory_lists_dot_and_dotdot_then_eof()
    {
        var dir = await _c.MkdirAsync(await _c.RootAsync(), "empty");
        var page = await _c.ReadDirPlusAsync(dir.Handle!);
        Assert.True(page.Eof);
        Assert.Equal([".", ".."], page.Entries.Select(e => e.Name));
        Assert.Equal(dir.Handle, page.Entries[0].Handle);
        Assert.Equal(await _c.RootAsync(), page.Entries[1].Handle);
    }
}
