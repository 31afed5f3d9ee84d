using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Native;

namespace Gateway.Bench;

/// <summary>
/// Create then remove an empty file: <see cref="LocalVfs.Create"/> (GUARDED) + <see cref="LocalVfs.Remove"/>
/// against openat(O_CREAT|O_EXCL) + close + unlinkat in a directory of the same filesystem. One operation
/// is the pair. Names cycle through a small set, each removed before it is used again.
/// </summary>
internal sealed unsafe class CreateRemoveWorkload : IDisposable
{
    private const int Batch = 8;
    // The flags LocalVfs.Create opens with, so both sides ask the kernel for the same thing.
    private const int CreateFlags = LibC.O_CREAT | LibC.O_EXCL | LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_NONBLOCK
        | LibC.O_NOCTTY | LibC.O_CLOEXEC;
    private readonly LocalVfs _vfs;
    private readonly NodeId _dir;
    private readonly int _dirFd;
    private readonly string[] _names = Enumerable.Range(0, 256).Select(i => $"file-{i:D3}").ToArray();
    private readonly byte[][] _cnames;
    private int _next;

    public CreateRemoveWorkload(BenchEnvironment env)
    {
        _vfs = env.Vfs;
        _dir = env.VfsDirectory("create");
        var direct = Path.Combine(env.Direct, "create");
        Directory.CreateDirectory(direct);
        _dirFd = DirectFs.OpenPath(direct, directory: true);
        _cnames = _names.Select(DirectFs.CString).ToArray();
    }

    public ResultRow Run(BenchOptions options) => Rounds.Compare("create+remove", "ops/s", options, Vfs, Direct,
        maxSlowdown: 1.5, note: "LocalVfs.Create(Guarded)+Remove vs openat(O_CREAT|O_EXCL)+close+unlinkat");

    private double Vfs(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            var name = _names[_next++ & 255];
            var c = _vfs.Create(Principal.Root, _dir, name, CreateHow.Guarded());
            if (!c.IsOk) throw new InvalidOperationException($"Create {name}: {c.Status}");
            var r = _vfs.Remove(Principal.Root, _dir, name);
            if (!r.IsOk) throw new InvalidOperationException($"Remove {name}: {r.Status}");
        }
        return Batch;
    });

    private double Direct(TimeSpan budget) => Measure.OpsPerSecond(budget, () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            fixed (byte* name = _cnames[_next++ & 255])
            {
                var fd = LibC.Openat(_dirFd, name, CreateFlags, 0x1A4);
                if (fd < 0) throw DirectFs.Fail("openat", "create/file");
                LibC.Close(fd);
                if (LibC.Unlinkat(_dirFd, name, 0) != 0) throw DirectFs.Fail("unlinkat", "create/file");
            }
        }
        return Batch;
    });

    public void Dispose() => LibC.Close(_dirFd);
}
