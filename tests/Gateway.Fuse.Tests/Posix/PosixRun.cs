using System.Text;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// One run of a behaviour case in one directory. Every call goes to libc and appends a line to
/// <see cref="Trace"/>: "call(args) = result", the result being the errno's name on failure and something
/// that does not depend on the directory on success (no descriptor numbers, inode numbers or times,
/// unless a case asks for them). The same case run on the mount and on a local directory must give
/// the same trace.
/// </summary>
internal sealed unsafe class PosixRun(string root)
{
    public string Root { get; } = root;
    public List<string> Trace { get; } = new();
    public int LastErrno { get; private set; }

    public byte[] P(string relative) => Paths.Z(relative.Length == 0 ? Root : Root + "/" + relative);

    public void Note(string text) => Trace.Add(text);

    public void Check(string what, bool value) => Trace.Add($"{what}: {(value ? "yes" : "NO")}");

    private long Log(string call, long rc, string? success = null)
    {
        var errno = rc < 0 ? Libc.LastErrno : 0;
        LastErrno = errno;
        Trace.Add($"{Escape(call)} = {(rc < 0 ? Errno.Name(errno) : success ?? rc.ToString())}");
        return rc;
    }

    public static string OpenFlags(int flags)
    {
        var parts = new List<string> { (flags & 3) switch { Libc.O_WRONLY => "O_WRONLY", Libc.O_RDWR => "O_RDWR", _ => "O_RDONLY" } };
        if ((flags & Libc.O_CREAT) != 0) parts.Add("O_CREAT");
        if ((flags & Libc.O_EXCL) != 0) parts.Add("O_EXCL");
        if ((flags & Libc.O_TRUNC) != 0) parts.Add("O_TRUNC");
        if ((flags & Libc.O_APPEND) != 0) parts.Add("O_APPEND");
        if ((flags & Libc.O_DIRECTORY) != 0) parts.Add("O_DIRECTORY");
        if ((flags & Libc.O_NOFOLLOW) != 0) parts.Add("O_NOFOLLOW");
        if ((flags & Libc.O_NONBLOCK) != 0) parts.Add("O_NONBLOCK");
        return string.Join('|', parts);
    }

    public int Open(string rel, int flags, uint mode = 0x1A4 /*0644*/)
    {
        fixed (byte* p = P(rel)) return (int)Log($"open({rel}, {OpenFlags(flags)})", Libc.Open(p, flags | Libc.O_CLOEXEC, mode), "fd");
    }

    public int Open(byte[] fullPathZ, string shown, int flags, uint mode = 0x1A4)
    {
        fixed (byte* p = fullPathZ) return (int)Log($"open({shown}, {OpenFlags(flags)})", Libc.Open(p, flags | Libc.O_CLOEXEC, mode), "fd");
    }

    public int Close(int fd) => fd < 0 ? -1 : (int)Log("close", Libc.Close(fd));

    /// <summary>Creates a file with the given content (not traced: setup).</summary>
    public void Put(string rel, string content, uint mode = 0x1A4)
    {
        fixed (byte* p = P(rel))
        {
            var fd = Libc.Open(p, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, mode);
            if (fd < 0) throw new InvalidOperationException($"setup: create {rel}: {Errno.Name(Libc.LastErrno)}");
            var bytes = Encoding.UTF8.GetBytes(content);
            fixed (byte* b = bytes)
                if (Libc.Write(fd, b, (nuint)bytes.Length) != bytes.Length) throw new InvalidOperationException($"setup: write {rel}");
            Libc.Close(fd);
        }
    }

    /// <summary>The whole content of a file, traced ("read(f) = 'text'" or the errno).</summary>
    public string? Cat(string rel)
    {
        fixed (byte* p = P(rel))
        {
            var fd = Libc.Open(p, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
            {
                Log($"cat({rel})", -1);
                return null;
            }
            var text = ReadAll(fd);
            Libc.Close(fd);
            Trace.Add($"cat({rel}) = '{Show(text)}'");
            return text;
        }
    }

    private static string ReadAll(int fd)
    {
        var all = new List<byte>();
        var buffer = new byte[65536];
        long offset = 0;
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Libc.Pread(fd, b, (nuint)buffer.Length, offset);
                if (n < 0) return $"<read error {Errno.Name(Libc.LastErrno)}>";
                if (n == 0) break;
                all.AddRange(buffer.AsSpan(0, (int)n).ToArray());
                offset += n;
            }
        }
        return Encoding.Latin1.GetString(all.ToArray());
    }

    /// <summary>Control characters as \xNN, so a name with a newline stays on one trace line.</summary>
    public static string Escape(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())) : text;

    public static string Show(string text)
    {
        if (text.Length <= 80 && text.All(c => c >= ' ' && c < 127)) return text;
        // Long or binary: length, then runs ("\0 x4996") so zero-filled extensions read plainly.
        var sb = new StringBuilder($"[{text.Length} bytes] ");
        for (var i = 0; i < text.Length;)
        {
            var j = i;
            while (j < text.Length && text[j] == text[i]) j++;
            var c = text[i];
            sb.Append(c >= ' ' && c < 127 ? c.ToString() : $"\\x{(int)c:x2}");
            if (j - i > 1) sb.Append($" x{j - i}");
            sb.Append(' ');
            i = j;
        }
        return sb.ToString().TrimEnd();
    }

    public nint Pwrite(int fd, string data, long offset)
    {
        var bytes = Encoding.Latin1.GetBytes(data);
        fixed (byte* b = bytes) return (nint)Log($"pwrite({Show(data)}, {offset})", Libc.Pwrite(fd, b, (nuint)bytes.Length, offset));
    }

    public nint Write(int fd, string data)
    {
        var bytes = Encoding.Latin1.GetBytes(data);
        fixed (byte* b = bytes) return (nint)Log($"write({Show(data)})", Libc.Write(fd, b, (nuint)bytes.Length));
    }

    public string? Pread(int fd, int count, long offset)
    {
        var buffer = new byte[count];
        fixed (byte* b = buffer)
        {
            var n = Libc.Pread(fd, b, (nuint)count, offset);
            if (n < 0)
            {
                Log($"pread({count}, {offset})", -1);
                return null;
            }
            var text = Encoding.Latin1.GetString(buffer, 0, (int)n);
            Trace.Add($"pread({count}, {offset}) = '{Show(text)}'");
            return text;
        }
    }

    public long Lseek(int fd, long offset, int whence) =>
        Log($"lseek({offset}, {whence switch { 0 => "SEEK_SET", 1 => "SEEK_CUR", 2 => "SEEK_END", 3 => "SEEK_DATA", 4 => "SEEK_HOLE", _ => whence.ToString() }})",
            Libc.Lseek(fd, offset, whence));

    public int Ftruncate(int fd, long length) => (int)Log($"ftruncate({length})", Libc.Ftruncate(fd, length));

    public int Truncate(string rel, long length)
    {
        fixed (byte* p = P(rel)) return (int)Log($"truncate({rel}, {length})", Libc.Truncate(p, length));
    }

    public int Fsync(int fd) => (int)Log("fsync", Libc.Fsync(fd));

    public int Unlink(string rel)
    {
        fixed (byte* p = P(rel)) return (int)Log($"unlink({rel})", Libc.Unlink(p));
    }

    public int Rmdir(string rel)
    {
        fixed (byte* p = P(rel)) return (int)Log($"rmdir({rel})", Libc.Rmdir(p));
    }

    public int Mkdir(string rel, uint mode = 0x1ED)
    {
        fixed (byte* p = P(rel)) return (int)Log($"mkdir({rel})", Libc.Mkdir(p, mode));
    }

    public int Mkdir(byte[] fullPathZ, string shown, uint mode = 0x1ED)
    {
        fixed (byte* p = fullPathZ) return (int)Log($"mkdir({shown})", Libc.Mkdir(p, mode));
    }

    public int Rename(string from, string to)
    {
        fixed (byte* f = P(from)) fixed (byte* t = P(to)) return (int)Log($"rename({from}, {to})", Libc.Rename(f, t));
    }

    public int Renameat2(string from, string to, uint flags)
    {
        var shown = flags switch { Libc.RENAME_NOREPLACE => "NOREPLACE", Libc.RENAME_EXCHANGE => "EXCHANGE", _ => flags.ToString() };
        fixed (byte* f = P(from)) fixed (byte* t = P(to))
            return (int)Log($"renameat2({from}, {to}, {shown})", Libc.Renameat2(Libc.AT_FDCWD, f, Libc.AT_FDCWD, t, flags));
    }

    public int Link(string existing, string newName)
    {
        fixed (byte* e = P(existing)) fixed (byte* n = P(newName)) return (int)Log($"link({existing}, {newName})", Libc.Link(e, n));
    }

    public int Symlink(string target, string rel)
    {
        fixed (byte* t = Paths.Z(target)) fixed (byte* p = P(rel)) return (int)Log($"symlink({Show(target)}, {rel})", Libc.Symlink(t, p));
    }

    public string? Readlink(string rel)
    {
        var buffer = new byte[8192];
        fixed (byte* p = P(rel)) fixed (byte* b = buffer)
        {
            var n = Libc.Readlink(p, b, (nuint)buffer.Length);
            if (n < 0)
            {
                Log($"readlink({rel})", -1);
                return null;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, (int)n);
            Trace.Add($"readlink({rel}) = '{Show(text)}'");
            return text;
        }
    }

    /// <summary>stat or lstat; traced with the type (and what the caller asks to show), null on error.</summary>
    public Statx? Stat(string rel, bool follow = true, Func<Statx, string>? show = null)
    {
        Statx st;
        fixed (byte* p = P(rel))
        {
            var rc = Libc.Statx(Libc.AT_FDCWD, p, follow ? 0 : Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st);
            var call = $"{(follow ? "stat" : "lstat")}({rel})";
            if (rc < 0)
            {
                Log(call, -1);
                return null;
            }
            Trace.Add($"{Escape(call)} = {TypeName(st.Type)}{(show is null ? "" : " " + show(st))}");
            return st;
        }
    }

    /// <summary>fstat, traced like <see cref="Stat"/>.</summary>
    public Statx? Fstat(int fd, Func<Statx, string>? show = null)
    {
        Statx st;
        fixed (byte* empty = new byte[1])
        {
            if (Libc.Statx(fd, empty, Libc.AT_EMPTY_PATH, Libc.STATX_BASIC_STATS, &st) < 0)
            {
                Log("fstat", -1);
                return null;
            }
        }
        Trace.Add($"fstat = {TypeName(st.Type)}{(show is null ? "" : " " + show(st))}");
        return st;
    }

    public static string TypeName(uint type) => type switch
    {
        Libc.S_IFREG => "file",
        Libc.S_IFDIR => "dir",
        Libc.S_IFLNK => "symlink",
        Libc.S_IFIFO => "fifo",
        _ => $"type {type:x}",
    };

    public int Chmod(string rel, uint mode)
    {
        fixed (byte* p = P(rel)) return (int)Log($"chmod({rel}, {Convert.ToString(mode, 8)})", Libc.Chmod(p, mode));
    }

    public int Chown(string rel, uint uid, uint gid)
    {
        fixed (byte* p = P(rel)) return (int)Log($"lchown({rel}, {(int)uid}, {(int)gid})", Libc.Lchown(p, uid, gid));
    }

    public int Utimens(string rel, (long S, long Ns) atime, (long S, long Ns) mtime, bool follow = true)
    {
        var times = stackalloc Timespec[2];
        times[0] = new Timespec { Seconds = atime.S, Nanoseconds = atime.Ns };
        times[1] = new Timespec { Seconds = mtime.S, Nanoseconds = mtime.Ns };
        static string T((long S, long Ns) t) => t.Ns == Libc.UTIME_NOW ? "NOW" : t.Ns == Libc.UTIME_OMIT ? "OMIT" : $"{t.S}.{t.Ns:D9}";
        fixed (byte* p = P(rel))
            return (int)Log($"utimensat({rel}, {T(atime)}, {T(mtime)})", Libc.Utimensat(Libc.AT_FDCWD, p, times, follow ? 0 : Libc.AT_SYMLINK_NOFOLLOW));
    }

    public int SetXattr(string rel, string name, string value, int flags = 0)
    {
        var v = Encoding.UTF8.GetBytes(value);
        var shownFlags = flags switch { Libc.XATTR_CREATE => ", CREATE", Libc.XATTR_REPLACE => ", REPLACE", _ => "" };
        fixed (byte* p = P(rel)) fixed (byte* n = Paths.Z(name)) fixed (byte* b = v)
            return (int)Log($"setxattr({rel}, {name}, '{value}'{shownFlags})", Libc.Lsetxattr(p, n, b, (nuint)v.Length, flags));
    }

    /// <summary>getxattr with a buffer of the given size (0: ask for the size).</summary>
    public string? GetXattr(string rel, string name, int size = 4096)
    {
        var buffer = new byte[Math.Max(size, 1)];
        fixed (byte* p = P(rel)) fixed (byte* n = Paths.Z(name)) fixed (byte* b = buffer)
        {
            var rc = Libc.Lgetxattr(p, n, size == 0 ? null : b, (nuint)size);
            if (rc < 0 || size == 0) return Log($"getxattr({rel}, {name}, {size})", rc) < 0 ? null : rc.ToString();
            var text = Encoding.UTF8.GetString(buffer, 0, (int)rc);
            Trace.Add($"getxattr({rel}, {name}, {size}) = '{text}'");
            return text;
        }
    }

    /// <summary>listxattr, the user.* names sorted (the order is the file system's; security.* labels vary by host).</summary>
    public string? ListXattr(string rel, int size = 4096)
    {
        var buffer = new byte[Math.Max(size, 1)];
        fixed (byte* p = P(rel)) fixed (byte* b = buffer)
        {
            var rc = Libc.Llistxattr(p, size == 0 ? null : b, (nuint)size);
            if (rc < 0) return Log($"listxattr({rel}, {size})", rc) < 0 ? null : "";
            if (size == 0)
            {
                Trace.Add($"listxattr({rel}, 0) >= needed: {(rc > 0 ? "yes" : "NO")}");
                return null;
            }
            var names = Encoding.UTF8.GetString(buffer, 0, (int)rc).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Where(x => x.StartsWith("user.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            var text = string.Join(",", names);
            Trace.Add($"listxattr({rel}) = [{text}]");
            return text;
        }
    }

    public int RemoveXattr(string rel, string name)
    {
        fixed (byte* p = P(rel)) fixed (byte* n = Paths.Z(name)) return (int)Log($"removexattr({rel}, {name})", Libc.Lremovexattr(p, n));
    }

    public int Mkfifo(string rel)
    {
        fixed (byte* p = P(rel)) return (int)Log($"mknod({rel}, S_IFIFO)", Libc.Mknod(p, Libc.S_IFIFO | 0x1A4, 0));
    }

    public int Fallocate(int fd, int mode, long offset, long length) =>
        (int)Log($"fallocate({mode}, {offset}, {length})", Libc.Fallocate(fd, mode, offset, length));

    public nint CopyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length)
    {
        long i = offIn, o = offOut;
        return (nint)Log($"copy_file_range({offIn} -> {offOut}, {length})", Libc.CopyFileRange(fdIn, &i, fdOut, &o, (nuint)length, 0));
    }

    public int Access(string rel, int mode)
    {
        fixed (byte* p = P(rel)) return (int)Log($"access({rel}, {mode})", Libc.Faccessat(Libc.AT_FDCWD, p, mode, 0));
    }

    /// <summary>The directory's entries (not . and ..) as "name:type", sorted, traced.</summary>
    public List<string>? List(string rel)
    {
        var entries = ReadDir(P(rel), out var errno);
        if (entries is null)
        {
            Trace.Add($"readdir({rel}) = {Errno.Name(errno)}");
            return null;
        }
        var shown = entries.Select(e => $"{Show(Encoding.Latin1.GetString(e.Name))}:{e.Type}").Order(StringComparer.Ordinal).ToList();
        Trace.Add($"readdir({rel}) = [{string.Join(", ", shown)}]");
        return shown;
    }

    /// <summary>getdents64 over a directory: raw names (bytes) and d_type letters (f, d, l, p, ?); null on error.</summary>
    public static List<(byte[] Name, char Type)>? ReadDir(byte[] pathZ, out int errno)
    {
        errno = 0;
        int fd;
        fixed (byte* p = pathZ) fd = Libc.Open(p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Libc.LastErrno;
            return null;
        }
        var list = new List<(byte[], char)>();
        var buffer = new byte[32768];
        try
        {
            fixed (byte* b = buffer)
            {
                while (true)
                {
                    var n = Libc.Getdents64(fd, b, (nuint)buffer.Length);
                    if (n < 0)
                    {
                        errno = Libc.LastErrno;
                        return null;
                    }
                    if (n == 0) break;
                    for (var off = 0; off < n;)
                    {
                        var reclen = *(ushort*)(b + off + 16);
                        var type = b[off + 18];
                        var name = new ReadOnlySpan<byte>(b + off + 19, reclen - 19);
                        name = name[..name.IndexOf((byte)0)];
                        if (!(name.SequenceEqual("."u8) || name.SequenceEqual(".."u8)))
                            list.Add((name.ToArray(), type switch { 8 => 'f', 4 => 'd', 10 => 'l', 1 => 'p', _ => '?' }));
                        off += reclen;
                    }
                }
            }
        }
        finally
        {
            Libc.Close(fd);
        }
        return list;
    }

    public int Lock(int fd, short type, long start, long length, bool wait = false)
    {
        var lk = new Flock { Type = type, Whence = 0, Start = start, Length = length };
        var name = type switch { Libc.F_RDLCK => "F_RDLCK", Libc.F_WRLCK => "F_WRLCK", _ => "F_UNLCK" };
        return (int)Log($"fcntl({(wait ? "F_SETLKW" : "F_SETLK")}, {name}, {start}, {length})", Libc.FcntlLock(fd, wait ? Libc.F_SETLKW : Libc.F_SETLK, &lk));
    }

    public T AsNobody<T>(Func<T> action) => AsUser.Run(AsUser.Nobody, AsUser.Nobody, action);
}
