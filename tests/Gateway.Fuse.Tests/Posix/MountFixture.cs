namespace Gateway.Fuse.Tests.Posix;

/// <summary>
/// A temporary area (/tmp/gw-fuse-*: backing/, mnt/, reference/, state/, all 0755 so other users can walk
/// in) with the mount under test on mnt/, and reference/ on the same filesystem as backing/ for the
/// expected results. Everything is unmounted and removed at dispose, also when a test failed.
/// </summary>
public class MountFixture : IAsyncLifetime
{
    public MountFixture()
    {
        Base = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gw-fuse-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var d in new[] { Base, Backing, MountPoint, Reference, State }) Directory.CreateDirectory(d);
        foreach (var d in new[] { Base, Backing, MountPoint, Reference }) Chmod755(d);
    }

    public string Base { get; }
    public string Backing => System.IO.Path.Combine(Base, "backing");
    public string MountPoint => System.IO.Path.Combine(Base, "mnt");
    public string Reference => System.IO.Path.Combine(Base, "reference");
    public string State => System.IO.Path.Combine(Base, "state");
    public IMountUnderTest Mount { get; private set; } = null!;

    /// <summary>Where the tests write: the mount point, or the backing directory for the "plain" target.</summary>
    public string Path => Mount.Path;

    public async Task InitializeAsync() => Mount = await MountTarget.MountAsync(Backing, MountPoint, State);

    public async Task DisposeAsync()
    {
        try
        {
            if (Mount is not null) await Mount.DisposeAsync();
        }
        finally
        {
            MountTable.Unmount(MountPoint);
            if (!MountTable.IsMountPoint(MountPoint))
            {
                // rm, not Directory.Delete: some tests leave names that are not UTF-8, which .NET cannot name back.
                MountTable.Run("rm", "-rf", "--one-file-system", Base);
            }
        }
    }

    /// <summary>A fresh, empty directory for one test, on the mount and (same name) under reference/.</summary>
    public (string OnMount, string OnReference) FreshPair(string name)
    {
        var m = System.IO.Path.Combine(Path, name);
        var r = System.IO.Path.Combine(Reference, name);
        Directory.CreateDirectory(m);
        Directory.CreateDirectory(r);
        Chmod755(m);
        Chmod755(r);
        return (m, r);
    }

    public static unsafe void Chmod755(string path)
    {
        fixed (byte* p = Paths.Z(path))
            if (Libc.Chmod(p, 0x1ED) != 0) throw new InvalidOperationException($"chmod {path}: {Errno.Name(Libc.LastErrno)}");
    }
}
