using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Native;

namespace Gateway.Bench;

/// <summary>
/// Warm GetAttr: <see cref="LocalVfs.GetAttr"/> of a known node against statx(fd, "", AT_EMPTY_PATH) on an
/// O_PATH descriptor of the same file — the call the Vfs makes underneath, with the same mask.
/// </summary>
internal sealed unsafe class GetAttrWorkload : IDisposable
{
    private const int Batch = 64;
    private readonly LocalVfs _vfs;
    private readonly NodeId _node;
    private readonly int _fd;

    public GetAttrWorkload(BenchEnvironment env)
    {
        _vfs = env.Vfs;
        _node = BenchEnvironment.Expect(_vfs.Create(Principal.Root, _vfs.Root, "getattr-target", CreateHow.Guarded())).Node;
        _fd = DirectFs.OpenPath(Path.Combine(env.Export, "getattr-target"));
    }

    public ResultRow Run(BenchOptions options) => Rounds.Compare("warm GetAttr", "ops/s", options, Vfs, Direct,
        maxSlowdown: 2.0, note: "LocalVfs.GetAttr(node) vs statx(O_PATH fd, \"\", AT_EMPTY_PATH)");

    private double Vfs(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            var r = _vfs.GetAttr(_node);
            if (!r.IsOk) throw new InvalidOperationException($"GetAttr: {r.Status}");
        }
        return Batch;
    });

    private double Direct(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        byte empty = 0;
        StatxBuffer st;
        for (var i = 0; i < Batch; i++)
        {
            if (LibC.Statx(_fd, &empty, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW, Sys.StatxMask, &st) != 0)
                throw DirectFs.Fail("statx", "getattr-target");
        }
        return Batch;
    });

    public void Dispose() => LibC.Close(_fd);
}
