using System.ComponentModel;
using System.Text;
using Gateway.Vfs.Native;

namespace Gateway.Bench;

/// <summary>The direct side's few helpers over <see cref="LibC"/>: names as NUL-terminated UTF-8, descriptors, errors.</summary>
internal static unsafe class DirectFs
{
    public static byte[] CString(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    /// <summary>An O_PATH descriptor (what the Vfs caches per node), optionally of a directory.</summary>
    public static int OpenPath(string path, bool directory = false)
    {
        var flags = LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | (directory ? LibC.O_DIRECTORY : 0);
        fixed (byte* p = CString(path))
        {
            var fd = LibC.Openat(LibC.AT_FDCWD, p, flags, 0);
            return fd >= 0 ? fd : throw Fail("open", path);
        }
    }

    public static Exception Fail(string call, string what) =>
        new IOException($"{call} {what}: {new Win32Exception(LibC.LastError).Message}");
}
