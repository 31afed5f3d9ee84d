using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Native;

namespace Gateway.Bench;

/// <summary>
/// Warm Lookup: <see cref="LocalVfs.Lookup"/> of a name already in the node index against
/// statx(dirfd, name, AT_SYMLINK_NOFOLLOW) on an O_PATH descriptor of the same directory.
/// </summary>
internal sealed unsafe class LookupWorkload : IDisposable
{
    private const int Batch = 64;
    private const string Name = "target";
    private readonly LocalVfs _vfs;
    private readonly NodeId _dir;
    private readonly int _dirFd;
    private readonly byte[] _name = DirectFs.CString(Name);

    public LookupWorkload(BenchEnvironment env)
    {
        _vfs = env.Vfs;
        _dir = env.VfsDirectory("lookup");
        BenchEnvironment.Expect(_vfs.Create(Principal.Root, _dir, Name, CreateHow.Guarded()));
        _dirFd = DirectFs.OpenPath(Path.Combine(env.Export, "lookup"), directory: true);
    }

    public ResultRow Run(BenchOptions options) => Rounds.Compare("warm Lookup", "ops/s", options, Vfs, Direct,
        maxSlowdown: 2.0, note: "LocalVfs.Lookup(Root, dir, name) vs statx(dirfd, name, AT_SYMLINK_NOFOLLOW)");

    private double Vfs(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            var r = _vfs.Lookup(Principal.Root, _dir, Name);
            if (!r.IsOk) throw new InvalidOperationException($"Lookup: {r.Status}");
        }
        return Batch;
    });

    private double Direct(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        StatxBuffer st;
        fixed (byte* name = _name)
        {
            for (var i = 0; i < Batch; i++)
            {
                if (LibC.Statx(_dirFd, name, LibC.AT_SYMLINK_NOFOLLOW, Sys.StatxMask, &st) != 0)
                    throw DirectFs.Fail("statx", Name);
            }
        }
        return Batch;
    });

    public void Dispose() => LibC.Close(_dirFd);
}
