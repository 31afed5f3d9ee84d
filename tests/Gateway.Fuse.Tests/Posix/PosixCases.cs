using System.Text;
using static Gateway.Fuse.Tests.Posix.Libc;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// The behaviour table: each case is a short syscall sequence run once on the mount and once on a local
/// directory of the same file system; the traces must be equal. Setup that is not under test uses
/// <see cref="PosixRun.Put"/> (untraced); everything else is traced with its errno.
/// </summary>
internal static class PosixCases
{
    private const uint Nobody = AsUser.Nobody;

    public static readonly IReadOnlyDictionary<string, Action<PosixRun>> All = new SortedDictionary<string, Action<PosixRun>>(StringComparer.Ordinal)
    {
        ["create_existing_excl"] = s =>
        {
            s.Put("f", "x");
            s.Close(s.Open("f", O_WRONLY | O_CREAT | O_EXCL));
            s.Close(s.Open("f", O_WRONLY | O_CREAT));
            s.Close(s.Open("new", O_WRONLY | O_CREAT | O_EXCL));
            s.Stat("new", show: st => $"size {st.Size}");
        },
        ["create_excl_on_symlink"] = s =>
        {
            s.Put("target", "t");
            s.Symlink("target", "good");
            s.Symlink("missing", "dangling");
            s.Close(s.Open("good", O_WRONLY | O_CREAT | O_EXCL));
            s.Close(s.Open("dangling", O_WRONLY | O_CREAT | O_EXCL));
            s.Stat("missing");
            s.Close(s.Open("dangling", O_WRONLY | O_CREAT)); // follows the dangling link and creates its target
            s.Stat("missing", show: st => $"size {st.Size}");
        },
        ["mkdir_existing"] = s =>
        {
            s.Mkdir("d");
            s.Mkdir("d");
            s.Put("f", "");
            s.Mkdir("f");
            s.Mkdir("f/sub");
            s.Mkdir("missing/sub");
        },
        ["rmdir_nonempty"] = s =>
        {
            s.Mkdir("d");
            s.Put("d/f", "x");
            s.Rmdir("d");
            s.Unlink("d/f");
            s.Rmdir("d");
            s.Stat("d");
            s.Rmdir("d");
        },
        ["rmdir_file"] = s =>
        {
            s.Put("f", "x");
            s.Rmdir("f");
            s.Symlink(".", "link-to-dir");
            s.Rmdir("link-to-dir");
        },
        ["unlink_directory"] = s =>
        {
            s.Mkdir("d");
            s.Unlink("d");
            s.Unlink("missing");
            s.Stat("d");
        },
        ["rename_dir_over_file"] = s =>
        {
            s.Mkdir("d");
            s.Put("f", "file");
            s.Rename("d", "f");
            s.Stat("d");
            s.Cat("f");
        },
        ["rename_file_over_dir"] = s =>
        {
            s.Mkdir("d");
            s.Put("f", "file");
            s.Rename("f", "d");
            s.Cat("f");
            s.Stat("d");
        },
        ["rename_dir_over_dirs"] = s =>
        {
            s.Mkdir("a");
            s.Put("a/inside", "a");
            s.Mkdir("full");
            s.Put("full/x", "x");
            s.Mkdir("empty");
            s.Rename("a", "full");
            s.Rename("a", "empty");
            s.List("");
            s.Cat("empty/inside");
        },
        ["rename_into_own_subdir"] = s =>
        {
            s.Mkdir("a");
            s.Mkdir("a/b");
            s.Rename("a", "a/b/c");
            s.Rename("a", "a/c");
            s.Put("a/b/f", "f");
            s.Rename("a/b/f", "a"); // the destination is an ancestor of the source
            s.Rename("a", "a");
            s.List("a");
        },
        ["rename_file_over_file_and_links"] = s =>
        {
            s.Put("a", "aaa");
            s.Put("b", "bbb");
            s.Rename("a", "b");
            s.Cat("b");
            s.Stat("a");
            s.Link("b", "c");
            s.Rename("b", "c"); // same inode: nothing happens, both names stay
            s.List("");
            s.Rename("missing", "x");
            s.Rename("b", "missing-dir/x");
            s.Rename("b", "c/x");
        },
        ["renameat2_noreplace"] = s =>
        {
            s.Put("a", "aaa");
            s.Put("b", "bbb");
            s.Renameat2("a", "b", RENAME_NOREPLACE);
            s.Cat("a");
            s.Cat("b");
            s.Renameat2("a", "c", RENAME_NOREPLACE);
            s.List("");
        },
        ["renameat2_exchange"] = s =>
        {
            s.Put("a", "aaa");
            s.Mkdir("d");
            s.Put("d/in", "in d");
            s.Renameat2("a", "d", RENAME_EXCHANGE);
            s.Cat("d");
            s.Cat("a/in");
            s.Renameat2("a", "missing", RENAME_EXCHANGE);
            s.Renameat2("a", "b", RENAME_EXCHANGE | RENAME_NOREPLACE);
            s.List("");
        },
        ["link_to_directory"] = s =>
        {
            s.Mkdir("d");
            s.Link("d", "d2");
            s.Put("f", "x");
            s.Link("f", "f");
            s.Link("missing", "m2");
            s.Link("f", "missing/f");
        },
        ["hard_link_counts"] = s =>
        {
            s.Put("a", "data");
            s.Stat("a", show: st => $"nlink {st.Nlink}");
            s.Link("a", "b");
            s.Link("a", "c");
            s.Stat("a", show: st => $"nlink {st.Nlink}");
            s.Stat("c", show: st => $"nlink {st.Nlink} size {st.Size}");
            s.Unlink("a");
            s.Stat("b", show: st => $"nlink {st.Nlink}");
            s.Cat("c");
            s.Mkdir("d");
            s.Mkdir("d/x");
            s.Mkdir("d/y");
            s.Stat("d", show: st => $"nlink {st.Nlink}");
            var b = s.Stat("b");
            var c = s.Stat("c");
            s.Check("b and c have one inode", b?.Ino == c?.Ino);
        },
        ["truncate_grow_shrink"] = s =>
        {
            s.Put("f", "0123456789");
            s.Truncate("f", 5000);
            s.Stat("f", show: st => $"size {st.Size}");
            s.Cat("f");
            s.Truncate("f", 3);
            s.Cat("f");
            var fd = s.Open("f", O_RDWR);
            s.Ftruncate(fd, 7);
            s.Pread(fd, 100, 0);
            s.Ftruncate(fd, 0);
            s.Fstat(fd, st => $"size {st.Size}");
            s.Ftruncate(fd, -1);
            s.Close(fd);
            s.Truncate("missing", 1);
            s.Mkdir("d");
            s.Truncate("d", 0);
        },
        ["truncate_readonly_fd"] = s =>
        {
            s.Put("f", "data");
            var fd = s.Open("f", O_RDONLY);
            s.Ftruncate(fd, 1);
            s.Write(fd, "x");
            s.Close(fd);
            fd = s.Open("f", O_WRONLY);
            s.Pread(fd, 4, 0);
            s.Close(fd);
            s.Cat("f");
        },
        ["o_append"] = s =>
        {
            s.Put("f", "start;");
            var fd = s.Open("f", O_WRONLY | O_APPEND);
            s.Write(fd, "one;");
            s.Lseek(fd, 0, SEEK_SET);
            s.Write(fd, "two;");
            s.Pwrite(fd, "three;", 0); // Linux: pwrite on an O_APPEND descriptor appends too
            s.Lseek(fd, 0, SEEK_CUR);
            s.Close(fd);
            s.Cat("f");
        },
        ["o_trunc"] = s =>
        {
            s.Put("f", "old content");
            s.Close(s.Open("f", O_WRONLY | O_TRUNC));
            s.Stat("f", show: st => $"size {st.Size}");
            s.Put("g", "keep");
            s.Close(s.Open("g", O_RDONLY | O_TRUNC)); // Linux truncates even then
            s.Cat("g");
            var fd = s.Open("h", O_RDWR | O_CREAT | O_TRUNC);
            s.Write(fd, "new");
            s.Close(fd);
            s.Cat("h");
        },
        ["symlink_loop"] = s =>
        {
            s.Symlink("b", "a");
            s.Symlink("a", "b");
            s.Close(s.Open("a", O_RDONLY));
            s.Stat("a");
            s.Stat("a", follow: false);
            s.Readlink("a");
            s.Symlink("self", "self");
            s.Close(s.Open("self/x", O_RDONLY));
            s.Put("f", "x");
            s.Symlink("f", "l");
            s.Close(s.Open("l", O_RDONLY | O_NOFOLLOW));
            s.Cat("l");
        },
        ["readlink_non_symlink"] = s =>
        {
            s.Put("f", "x");
            s.Mkdir("d");
            s.Readlink("f");
            s.Readlink("d");
            s.Readlink("missing");
            var target = new string('t', 1000) + "/" + new string('u', 3000);
            s.Symlink(target, "long");
            s.Readlink("long");
            s.Symlink("../outside/of/this/dir", "rel");
            s.Readlink("rel");
            s.Stat("rel");
            s.Stat("rel", follow: false, show: st => $"size {st.Size}");
        },
        ["long_names"] = s =>
        {
            var ok = new string('n', 255);
            var tooLong = new string('n', 256);
            s.Close(s.Open(ok, O_WRONLY | O_CREAT | O_EXCL));
            s.Stat(ok);
            s.Close(s.Open(tooLong, O_WRONLY | O_CREAT | O_EXCL));
            s.Stat(tooLong);
            s.Mkdir(tooLong);
            s.Rename(ok, tooLong);
            s.Symlink("x", tooLong);
            s.Link(ok, tooLong);
            s.Unlink(ok);
            var multi = "é" + new string('m', 253); // 255 bytes in UTF-8
            s.Close(s.Open(multi, O_WRONLY | O_CREAT | O_EXCL));
            s.Close(s.Open(multi + "m", O_WRONLY | O_CREAT | O_EXCL));
            s.List("");
        },
        ["odd_names"] = s =>
        {
            foreach (var name in new[] { "sp ace", "new\nline", "tab\t", "back\\slash", "star*?", "colon:", "quote\"'", "ünïcödé", "日本語", "emoji😀", "-dash", ".hidden", "..dots", "...", " " })
                s.Close(s.Open(name, O_WRONLY | O_CREAT | O_EXCL));
            // Not UTF-8: Linux names are any bytes but '/' and NUL.
            byte[][] raw = [[0xff, 0xfe, (byte)'x'], [(byte)'a', 0x80], [0x01, 0x02, 0x7f]];
            foreach (var name in raw)
                s.Close(s.Open(Paths.Join(s.Root, name), "raw " + Convert.ToHexString(name), O_WRONLY | O_CREAT | O_EXCL));
            s.Mkdir(Paths.Join(s.Root, [0xc3, 0x28]), "raw C328");
            s.List("");
            s.Stat("sp ace");
            s.Stat("new\nline");
            s.Rename("日本語", "renamed-日本語");
            s.Stat("renamed-日本語");
        },
        ["permission_denied_as_nobody"] = s =>
        {
            s.Put("secret", "secret", 0x180);      // 0600
            s.Chmod("secret", 0x180);
            s.Put("readonly", "readonly", 0x124);  // 0444
            s.Chmod("readonly", 0x124);
            s.Mkdir("closed");
            s.Chmod("closed", 0x16D);              // 0555
            s.Mkdir("private");
            s.Put("private/f", "p");
            s.Chmod("private", 0x1C0);             // 0700
            s.AsNobody(() =>
            {
                s.Close(s.Open("secret", O_RDONLY));
                s.Close(s.Open("readonly", O_WRONLY));
                s.Close(s.Open("readonly", O_RDONLY));
                s.Close(s.Open("closed/new", O_WRONLY | O_CREAT));
                s.Mkdir("closed/sub");
                s.Stat("private/f");
                s.List("private");
                s.Access("secret", R_OK);
                s.Access("readonly", W_OK);
                s.Access("readonly", R_OK);
                s.Unlink("readonly"); // the directory is 0755, owned by root
                s.Truncate("readonly", 0);
                return 0;
            });
            s.Cat("readonly");
        },
        ["permission_owner_only_ops_as_nobody"] = s =>
        {
            s.Put("f", "root's", 0x1B6);
            s.Chmod("f", 0x1B6);              // 0666: anyone may write, only the owner may chmod/chown/utimes
            s.Mkdir("sticky");
            s.Chmod("sticky", 0x3FF);         // 1777
            s.Put("sticky/roots", "r");
            s.Chmod("sticky/roots", 0x1B6);
            s.AsNobody(() =>
            {
                s.Chmod("f", 0x1FF);
                s.Chown("f", Nobody, Nobody);
                s.Utimens("f", (1, 0), (2, 0));
                s.Utimens("f", (0, UTIME_NOW), (0, UTIME_NOW)); // allowed: write access is enough for "now"
                s.Unlink("sticky/roots");      // sticky directory, someone else's file
                s.Rename("sticky/roots", "sticky/mine");
                s.Close(s.Open("sticky/mine", O_WRONLY | O_CREAT | O_EXCL));
                s.Stat("sticky/mine", show: st => $"uid {st.Uid} gid {st.Gid}");
                s.Unlink("sticky/mine");
                return 0;
            });
            s.Stat("f", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)} uid {st.Uid}");
        },
        ["chmod_chown_as_root"] = s =>
        {
            s.Put("f", "x");
            s.Chmod("f", 0x9ED);              // 04755
            s.Stat("f", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
            s.Chmod("f", 0x1A0);              // 0640
            s.Chown("f", 1234, 5678);
            s.Stat("f", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)} uid {st.Uid} gid {st.Gid}");
            s.Chown("f", uint.MaxValue, 42);  // -1 keeps the owner
            s.Stat("f", show: st => $"uid {st.Uid} gid {st.Gid}");
            s.Mkdir("d");
            s.Chmod("d", 0x5ED);              // 02755
            s.Stat("d", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
            s.Symlink("f", "l");
            s.Chown("l", 77, 88);             // lchown: the link itself
            s.Stat("l", follow: false, show: st => $"uid {st.Uid} gid {st.Gid}");
            s.Stat("l", show: st => $"uid {st.Uid} gid {st.Gid}");
            s.Chmod("missing", 0x1ED);
            s.Chown("f", 0, 0);
            s.Chmod("f", 0xDED);              // 06755 as root stays
            s.Stat("f", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
        },
        ["create_mode_and_owner"] = s =>
        {
            var old = Umask(0x12);            // 022
            try
            {
                s.Close(s.Open("f640", O_WRONLY | O_CREAT | O_EXCL, 0x1A0));
                s.Close(s.Open("f777", O_WRONLY | O_CREAT | O_EXCL, 0x1FF));
                s.Mkdir("d777", 0x1FF);
                s.Stat("f640", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)} uid {st.Uid} gid {st.Gid}");
                s.Stat("f777", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
                s.Stat("d777", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
                s.Mkdir("open");
                s.Chmod("open", 0x1FF);
                s.AsNobody(() =>
                {
                    s.Close(s.Open("open/mine", O_WRONLY | O_CREAT | O_EXCL, 0x1B6));
                    s.Mkdir("open/mydir");
                    return 0;
                });
                s.Stat("open/mine", show: st => $"mode {Convert.ToString(st.Mode & 0xFFF, 8)} uid {st.Uid} gid {st.Gid}");
                s.Stat("open/mydir", show: st => $"uid {st.Uid} gid {st.Gid}");
            }
            finally
            {
                Umask(old);
            }
        },
        ["utimensat_times"] = s =>
        {
            s.Put("f", "x");
            s.Utimens("f", (1_000_000_000, 123_456_789), (1_500_000_000, 987_654_321));
            s.Stat("f", show: st => $"atime {st.AtimeSec}.{st.AtimeNsec:D9} mtime {st.MtimeSec}.{st.MtimeNsec:D9}");
            s.Utimens("f", (0, UTIME_OMIT), (2_000_000_000, 5));
            s.Stat("f", show: st => $"atime {st.AtimeSec}.{st.AtimeNsec:D9} mtime {st.MtimeSec}.{st.MtimeNsec:D9}");
            s.Utimens("f", (0, UTIME_NOW), (0, UTIME_OMIT));
            s.Stat("f", show: st => $"atime is now: {(Math.Abs(st.AtimeSec - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) < 30 ? "yes" : "NO")} mtime {st.MtimeSec}.{st.MtimeNsec:D9}");
            s.Utimens("f", (-1, 0), (4_000_000_000, 0)); // before 1970 and after 2038
            s.Stat("f", show: st => $"atime {st.AtimeSec} mtime {st.MtimeSec}");
            s.Symlink("f", "l");
            s.Utimens("l", (10, 0), (20, 0), follow: false);
            s.Stat("l", follow: false, show: st => $"mtime {st.MtimeSec}");
            s.Stat("f", show: st => $"mtime {st.MtimeSec}");
            s.Utimens("f", (0, 1_000_000_000), (0, 0));
            s.Utimens("missing", (1, 0), (1, 0));
        },
        ["mtime_ctime_move_on_change"] = s =>
        {
            s.Put("f", "x");
            s.Utimens("f", (100, 0), (100, 0));
            var fd = s.Open("f", O_WRONLY);
            s.Write(fd, "changed");
            s.Close(fd);
            s.Stat("f", show: st => $"mtime moved: {(st.MtimeSec > 100 ? "yes" : "NO")} ctime after mtime: {(st.CtimeSec >= st.MtimeSec ? "yes" : "NO")}");
            s.Mkdir("d");
            s.Utimens("d", (100, 0), (100, 0));
            s.Put("d/new", "");
            s.Stat("d", show: st => $"dir mtime moved: {(st.MtimeSec > 100 ? "yes" : "NO")}");
        },
        ["xattr_set_get_list_remove"] = s =>
        {
            s.Put("f", "x");
            s.SetXattr("f", "user.one", "1");
            s.SetXattr("f", "user.two", "second value");
            s.SetXattr("f", "user.empty", "");
            s.GetXattr("f", "user.one");
            s.GetXattr("f", "user.two");
            s.GetXattr("f", "user.empty");
            s.GetXattr("f", "user.two", 0);
            s.ListXattr("f");
            s.RemoveXattr("f", "user.one");
            s.GetXattr("f", "user.one");
            s.RemoveXattr("f", "user.one");
            s.ListXattr("f");
            s.SetXattr("f", "user.two", "replaced");
            s.GetXattr("f", "user.two");
            s.Mkdir("d");
            s.SetXattr("d", "user.ondir", "d");
            s.GetXattr("d", "user.ondir");
            s.GetXattr("missing", "user.x");
            s.SetXattr("f", "nonamespace", "x");
            s.SetXattr("f", "user." + new string('x', 251), "long name"); // 256 bytes: too long
        },
        ["xattr_erange_and_flags"] = s =>
        {
            s.Put("f", "x");
            s.SetXattr("f", "user.big", new string('v', 100));
            s.GetXattr("f", "user.big", 10);
            s.GetXattr("f", "user.big", 0);
            s.GetXattr("f", "user.big", 100);
            s.ListXattr("f", 3);
            s.ListXattr("f", 0);
            s.SetXattr("f", "user.big", "x", XATTR_CREATE);
            s.SetXattr("f", "user.missing", "x", XATTR_REPLACE);
            s.SetXattr("f", "user.big", "new", XATTR_REPLACE);
            s.SetXattr("f", "user.created", "c", XATTR_CREATE);
            s.GetXattr("f", "user.big");
            s.ListXattr("f");
            s.SetXattr("f", "user.huge", new string('h', 60000));
            s.GetXattr("f", "user.huge", 0);
        },
        ["unlink_open_file"] = s =>
        {
            s.Put("f", "before unlink;");
            var fd = s.Open("f", O_RDWR);
            s.Unlink("f");
            s.Stat("f");
            s.Pread(fd, 100, 0);
            s.Pwrite(fd, "after unlink", 14);
            s.Pread(fd, 100, 0);
            s.Fstat(fd, st => $"size {st.Size} nlink {st.Nlink}");
            s.Ftruncate(fd, 6);
            s.Pread(fd, 100, 0);
            s.List("");
            s.Close(s.Open("f", O_WRONLY | O_CREAT | O_EXCL)); // the name is free again
            s.Pread(fd, 100, 0);
            s.Close(fd);
            s.Stat("f", show: st => $"size {st.Size}");
        },
        ["rename_over_open_file"] = s =>
        {
            s.Put("old", "old content");
            s.Put("new", "new content");
            var fd = s.Open("old", O_RDONLY);
            s.Rename("new", "old");
            s.Pread(fd, 100, 0);
            s.Cat("old");
            s.Close(fd);
            s.List("");
        },
        ["mknod_fifo"] = s =>
        {
            s.Mkfifo("fifo");
            s.Stat("fifo", follow: false, show: st => $"size {st.Size}");
            s.Mkfifo("fifo");
            var r = s.Open("fifo", O_RDONLY | O_NONBLOCK);
            var w = s.Open("fifo", O_WRONLY | O_NONBLOCK);
            s.Write(w, "through the pipe");
            var buffer = new byte[64];
            unsafe
            {
                fixed (byte* b = buffer)
                {
                    var n = Libc.Read(r, b, 64);
                    s.Note($"read(fifo) = '{(n < 0 ? Errno.Name(Libc.LastErrno) : Encoding.ASCII.GetString(buffer, 0, (int)n))}'");
                }
            }
            s.Close(w);
            s.Close(r);
            s.List("");
            s.Unlink("fifo");
        },
        ["statfs_sanity"] = s =>
        {
            StatfsBuffer fs;
            int rc;
            unsafe
            {
                fixed (byte* p = s.P("")) rc = Libc.Statfs(p, &fs);
            }
            s.Check("statfs ok", rc == 0);
            s.Check("block size > 0", fs.BlockSize > 0);
            s.Check("blocks > 0", fs.Blocks > 0);
            s.Check("free <= blocks", fs.BlocksFree <= fs.Blocks);
            s.Check("available <= free", fs.BlocksAvailable <= fs.BlocksFree);
            s.Check("files free <= files", fs.FilesFree <= fs.Files);
            s.Note($"namemax {fs.NameMax}");
            s.Check("fragment size > 0", fs.FragmentSize > 0);
        },
        ["seek_hole_data"] = s =>
        {
            var fd = s.Open("sparse", O_RDWR | O_CREAT | O_EXCL);
            s.Pwrite(fd, new string('a', 4096), 0);
            s.Pwrite(fd, new string('b', 4096), 1 << 20);
            s.Ftruncate(fd, 3 << 20);
            s.Fsync(fd);
            s.Lseek(fd, 0, SEEK_DATA);
            s.Lseek(fd, 0, SEEK_HOLE);
            s.Lseek(fd, 4096, SEEK_DATA);
            s.Lseek(fd, (1 << 20) + 10, SEEK_HOLE);
            s.Lseek(fd, (2 << 20), SEEK_DATA);
            s.Lseek(fd, (2 << 20), SEEK_HOLE);
            s.Lseek(fd, 3 << 20, SEEK_DATA);
            s.Lseek(fd, 3 << 20, SEEK_HOLE);
            s.Lseek(fd, -1, SEEK_DATA);
            s.Lseek(fd, 100, SEEK_END);
            s.Lseek(fd, -5, SEEK_SET);
            s.Pread(fd, 8, 4092);
            s.Close(fd);
        },
        ["fallocate_modes"] = s =>
        {
            var fd = s.Open("f", O_RDWR | O_CREAT | O_EXCL);
            s.Fallocate(fd, 0, 0, 1 << 20);
            s.Fstat(fd, st => $"size {st.Size} blocks >= 2048: {(st.Blocks >= 2048 ? "yes" : "NO")}");
            s.Fallocate(fd, FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 20);
            s.Fstat(fd, st => $"size {st.Size} blocks >= 4096: {(st.Blocks >= 4096 ? "yes" : "NO")}");
            s.Pwrite(fd, new string('x', 65536), 0);
            s.Fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 8192);
            s.Pread(fd, 16384, 0);
            s.Fallocate(fd, FALLOC_FL_ZERO_RANGE, 16384, 4096);
            s.Pread(fd, 8, 16380);
            s.Pread(fd, 8, 20476);
            s.Fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096);       // PUNCH_HOLE needs KEEP_SIZE
            s.Fallocate(fd, 0, 0, 0);
            s.Fallocate(fd, 0, -1, 10);
            s.Fallocate(fd, FALLOC_FL_ZERO_RANGE, 4 << 20, 4096); // beyond EOF: extends the file
            s.Fstat(fd, st => $"size {st.Size}");
            s.Close(fd);
            fd = s.Open("f", O_RDONLY);
            s.Fallocate(fd, 0, 0, 10);
            s.Close(fd);
        },
        ["copy_file_range"] = s =>
        {
            var src = s.Open("src", O_RDWR | O_CREAT | O_EXCL);
            var text = string.Concat(Enumerable.Range(0, 10000).Select(i => (char)('a' + i % 26)));
            s.Pwrite(src, text, 0);
            var dst = s.Open("dst", O_RDWR | O_CREAT | O_EXCL);
            s.Pwrite(dst, "0123456789", 0);
            s.CopyFileRange(src, 100, dst, 5, 5000);
            s.Pread(dst, 20, 0);
            s.Fstat(dst, st => $"size {st.Size}");
            s.CopyFileRange(src, 9990, dst, 0, 100);  // short: the source ends
            s.CopyFileRange(src, 20000, dst, 0, 100); // past the end: 0
            s.CopyFileRange(src, 0, src, 10, 100);    // overlapping range in one file
            s.Close(src);
            s.Close(dst);
            s.Cat("dst");
            var ro = s.Open("src", O_RDONLY);
            var ro2 = s.Open("dst", O_RDONLY);
            s.CopyFileRange(ro, 0, ro2, 0, 10);      // destination not open for writing
            s.Close(ro);
            s.Close(ro2);
        },
        ["open_dir_and_file_kinds"] = s =>
        {
            s.Mkdir("d");
            s.Put("f", "x");
            s.Close(s.Open("d", O_WRONLY));
            s.Close(s.Open("d", O_RDWR));
            s.Close(s.Open("d", O_RDONLY));
            s.Close(s.Open("f", O_RDONLY | O_DIRECTORY));
            s.Close(s.Open("d", O_RDONLY | O_DIRECTORY));
            s.Close(s.Open("f/x", O_RDONLY));
            s.Stat("f/x");
            s.Close(s.Open("missing/x", O_WRONLY | O_CREAT));
            s.Close(s.Open("d/", O_WRONLY | O_CREAT));
            s.Close(s.Open("newdir/", O_WRONLY | O_CREAT));
            s.Stat("f/");
            s.Stat("d/");
        },
        ["bad_descriptors"] = s =>
        {
            s.Put("f", "data");
            var r = s.Open("f", O_RDONLY);
            s.Write(r, "x");
            s.Close(r);
            var w = s.Open("f", O_WRONLY);
            s.Pread(w, 4, 0);
            s.Lseek(w, 0, SEEK_END);
            s.Write(w, "more");
            s.Close(w);
            s.Cat("f");
        },
        ["read_write_offsets"] = s =>
        {
            var fd = s.Open("f", O_RDWR | O_CREAT | O_EXCL);
            s.Pwrite(fd, "hello", 0);
            s.Pwrite(fd, "world", 10);            // a gap of zeros
            s.Pread(fd, 100, 0);
            s.Pread(fd, 3, 3);
            s.Pread(fd, 100, 15);                 // at EOF
            s.Pread(fd, 100, 1000);               // beyond EOF
            s.Pwrite(fd, "", 50);                 // empty write: no change
            s.Fstat(fd, st => $"size {st.Size}");
            s.Write(fd, "HEL");                   // the file offset is still 0
            s.Lseek(fd, 0, SEEK_CUR);
            s.Pread(fd, 100, 0);
            var big = string.Concat(Enumerable.Range(0, 300_000).Select(i => (char)('A' + i % 23)));
            s.Pwrite(fd, big, 4095);              // spans many pages, unaligned
            s.Pread(fd, 10, 4095 + 299_990);
            s.Fstat(fd, st => $"size {st.Size}");
            s.Close(fd);
            s.Check("whole content", s.Cat("f") is { } all && all.Length == 4095 + 300_000 && all.AsSpan(4095).SequenceEqual(big));
        },
        ["readdir_types"] = s =>
        {
            s.Put("file", "x");
            s.Mkdir("dir");
            s.Symlink("file", "link");
            s.Mkfifo("pipe");
            s.Mkdir("many");
            for (var i = 0; i < 300; i++) s.Put($"many/n{i:D3}", "");
            s.List("");
            s.List("many");
            s.List("file");
            s.List("missing");
        },
        ["readdir_large"] = s =>
        {
            s.Mkdir("big");
            for (var i = 0; i < 1500; i++)
            {
                var fd = s.Open($"big/entry-with-a-longish-name-{i:D5}", O_WRONLY | O_CREAT | O_EXCL);
                s.Trace.RemoveAt(s.Trace.Count - 1);
                Libc.Close(fd);
            }
            var list = s.List("big");
            s.Trace.RemoveAt(s.Trace.Count - 1);
            s.Note($"entries {list?.Count}, distinct {list?.Distinct().Count()}");
            s.Check("all names", list is not null && Enumerable.Range(0, 1500).All(i => list.Contains($"entry-with-a-longish-name-{i:D5}:f")));
            for (var i = 0; i < 1500; i += 2) Unlink(s, $"big/entry-with-a-longish-name-{i:D5}");
            list = s.List("big");
            s.Trace.RemoveAt(s.Trace.Count - 1);
            s.Note($"after removing half: {list?.Count}");
        },
        ["enoent_and_enotdir_paths"] = s =>
        {
            s.Put("f", "x");
            s.Stat("missing");
            s.Stat("missing/x");
            s.Stat("f/x");
            s.Unlink("f/x");
            s.Rmdir("missing");
            s.Mkdir("f/d");
            s.Symlink("x", "f/l");
            s.Readlink("f/l");
            s.Link("f", "f/l");
            s.Rename("f", "f/g");
            s.Rename("f/g", "h");
            s.Stat("");
            s.Stat("./f");
            s.Stat("../" + Path.GetFileName(s.Root) + "/f");
        },
        ["fsync_and_data_visible_in_backing"] = s =>
        {
            var fd = s.Open("f", O_RDWR | O_CREAT | O_EXCL);
            s.Pwrite(fd, "durable", 0);
            s.Fsync(fd);
            s.Close(fd);
            s.Cat("f");
        },
        ["fcntl_locks_one_process"] = s =>
        {
            s.Put("f", "lockable");
            var fd = s.Open("f", O_RDWR);
            s.Lock(fd, F_WRLCK, 0, 10);
            s.Lock(fd, F_RDLCK, 5, 10);  // same process: converts, never conflicts
            s.Lock(fd, F_UNLCK, 0, 0);
            var ro = s.Open("f", O_RDONLY);
            s.Lock(ro, F_WRLCK, 0, 1);    // a write lock needs a descriptor open for writing
            s.Lock(ro, F_RDLCK, 0, 1);
            s.Close(ro);
            s.Close(fd);
        },
    };

    private static unsafe void Unlink(PosixRun s, string rel)
    {
        fixed (byte* p = s.P(rel))
            if (Libc.Unlink(p) != 0) s.Note($"unlink({rel}) = {Errno.Name(Libc.LastErrno)}");
    }
}
