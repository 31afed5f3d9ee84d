using System.Text;

namespace Gateway.Fuse.Tests.Posix;

/// <summary>Paths as the kernel takes them: bytes with a NUL at the end.</summary>
internal static class Paths
{
    public static byte[] Z(string path) => Z(Encoding.UTF8.GetBytes(path));

    public static byte[] Z(ReadOnlySpan<byte> path)
    {
        var z = new byte[path.Length + 1];
        path.CopyTo(z);
        return z;
    }

    /// <summary>dir + '/' + a name given as raw bytes (which may not be UTF-8).</summary>
    public static byte[] Join(string dir, ReadOnlySpan<byte> name)
    {
        var d = Encoding.UTF8.GetBytes(dir);
        var z = new byte[d.Length + 1 + name.Length + 1];
        d.CopyTo(z, 0);
        z[d.Length] = (byte)'/';
        name.CopyTo(z.AsSpan(d.Length + 1));
        return z;
    }
}
