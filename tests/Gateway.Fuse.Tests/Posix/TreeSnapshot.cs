using System.Security.Cryptography;
using System.Text;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// What a directory tree holds on disk, read with lstat/readlink/read (never through the code under test
/// when given the backing directory): one line per entry with type, mode, owner, size, link count and a
/// content hash. Times are left out (they legitimately differ between two runs).
/// </summary>
internal static unsafe class TreeSnapshot
{
    public static List<string> Of(string root)
    {
        var lines = new List<string>();
        Walk(Encoding.UTF8.GetBytes(root), "", lines);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Walk(byte[] dir, string shown, List<string> lines)
    {
        var entries = PosixRun.ReadDir(Paths.Z(dir), out var errno);
        if (entries is null)
        {
            lines.Add($"{shown}/: {Errno.Name(errno)}");
            return;
        }
        foreach (var (name, _) in entries)
        {
            var full = new byte[dir.Length + 1 + name.Length];
            dir.CopyTo(full, 0);
            full[dir.Length] = (byte)'/';
            name.CopyTo(full, dir.Length + 1);
            var rel = shown + "/" + PosixRun.Show(Encoding.Latin1.GetString(name));
            Statx st;
            fixed (byte* p = Paths.Z(full))
            {
                if (Libc.Statx(Libc.AT_FDCWD, p, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &st) != 0)
                {
                    lines.Add($"{rel}: {Errno.Name(Libc.LastErrno)}");
                    continue;
                }
            }
            var what = $"{rel}: {PosixRun.TypeName(st.Type)} mode {Convert.ToString(st.Mode & 0xFFF, 8)} uid {st.Uid} gid {st.Gid}";
            switch (st.Type)
            {
                case Libc.S_IFREG:
                    lines.Add($"{what} size {st.Size} nlink {st.Nlink} sha {Hash(full)}");
                    break;
                case Libc.S_IFDIR:
                    lines.Add($"{what} nlink {st.Nlink}");
                    Walk(full, rel, lines);
                    break;
                case Libc.S_IFLNK:
                    lines.Add($"{what} -> {Target(full)}");
                    break;
                default:
                    lines.Add(what);
                    break;
            }
        }
    }

    private static string Hash(byte[] path)
    {
        fixed (byte* p = Paths.Z(path))
        {
            var fd = Libc.Open(p, Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0);
            if (fd < 0) return Errno.Name(Libc.LastErrno);
            try
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[65536];
                long offset = 0;
                fixed (byte* b = buffer)
                {
                    while (true)
                    {
                        var n = Libc.Pread(fd, b, (nuint)buffer.Length, offset);
                        if (n < 0) return "read " + Errno.Name(Libc.LastErrno);
                        if (n == 0) break;
                        sha.AppendData(buffer, 0, (int)n);
                        offset += n;
                    }
                }
                return Convert.ToHexString(sha.GetHashAndReset())[..16];
            }
            finally
            {
                Libc.Close(fd);
            }
        }
    }

    private static string Target(byte[] path)
    {
        var buffer = new byte[8192];
        fixed (byte* p = Paths.Z(path)) fixed (byte* b = buffer)
        {
            var n = Libc.Readlink(p, b, (nuint)buffer.Length);
            return n < 0 ? Errno.Name(Libc.LastErrno) : PosixRun.Show(Encoding.Latin1.GetString(buffer, 0, (int)n));
        }
    }
}
