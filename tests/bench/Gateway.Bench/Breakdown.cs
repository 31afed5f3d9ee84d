using System.Diagnostics;
using Gateway.Vfs;
using Gateway.Vfs.Events;
using Gateway.Vfs.Local;
using Gateway.Vfs.Native;
using Gateway.Vfs.Store;

namespace Gateway.Bench;

/// <summary>One timed step: its cost per call, and how many times one Vfs operation makes it.</summary>
internal sealed record BreakdownLine(string Step, double? Microseconds, string PerOp, string Note);

/// <summary>
/// --breakdown: times the parts a Vfs operation is made of, each on its own, so a row that misses its
/// target says where the time goes (syscalls the direct side does not make, SQLite, the inotify watcher).
/// Rough by nature: parts timed alone run hotter in the caches than inside the whole operation.
/// </summary>
internal sealed unsafe class Breakdown(BenchEnvironment env, BenchOptions options)
{
    private const int Batch = 16;
    private readonly LocalVfs _vfs = env.Vfs;

    public List<BreakdownLine> Run()
    {
        Console.Error.WriteLine("breakdown");
        var lines = new List<BreakdownLine>();
        var dir = env.VfsDirectory("breakdown");
        var file = BenchEnvironment.Expect(_vfs.Create(Principal.Root, dir, "target", CreateHow.Guarded())).Node;
        var dirFd = DirectFs.OpenPath(Path.Combine(env.Export, "breakdown"), directory: true);
        var fileFd = DirectFs.OpenPath(Path.Combine(env.Export, "breakdown", "target"));
        var name = DirectFs.CString("target");
        try
        {
            var getAttr = Time(() => _vfs.GetAttr(file));
            var statFd = Time(() => StatFd(fileFd));
            var lookup = Time(() => _vfs.Lookup(Principal.Root, dir, "target"));
            var statAt = Time(() => StatAt(dirFd, name));
            var validate = Time(() => Names.Validate("target"));
            lines.Add(new("LocalVfs.GetAttr", getAttr, "1", "whole call"));
            lines.Add(new("statx(fd, \"\", AT_EMPTY_PATH)", statFd, "1 per GetAttr", "the syscall underneath"));
            lines.Add(new("GetAttr minus its statx", getAttr - statFd, "", "index, lease, attribute conversion"));
            lines.Add(new("LocalVfs.Lookup", lookup, "1", "whole call"));
            lines.Add(new("statx(dirfd, name)", statAt, "1 per Lookup", "the direct side's only call"));
            lines.Add(new("statx(dir fd, \"\", AT_EMPTY_PATH)", statFd, "1 per Lookup", "directory attributes (permission check, reply)"));
            lines.Add(new("Names.Validate", validate, "1 per Lookup", "strict UTF-8 byte count"));
            lines.Add(new("Lookup minus 2 statx", lookup - statAt - statFd, "", "index lookup, Register, attribute conversion"));

            lines.AddRange(CreateRemove(dir));
        }
        finally
        {
            LibC.Close(fileFd);
            LibC.Close(dirFd);
        }
        return lines;
    }

    private IEnumerable<BreakdownLine> CreateRemove(NodeId dir)
    {
        var names = Enumerable.Range(0, Batch).Select(i => $"cr-{i:D2}").ToArray();
        double create = 0, remove = 0;
        long pairs = 0;
        // The watcher sees IN_CREATE/IN_DELETE for the Vfs's own changes; count what it republishes as External.
        int externalCreated = 0, externalRemoved = 0;
        using var subscription = _vfs.Changes.Subscribe(c =>
        {
            if (!c.External) return;
            if (c.Kind == ChangeKind.Created) Interlocked.Increment(ref externalCreated);
            if (c.Kind == ChangeKind.Removed) Interlocked.Increment(ref externalRemoved);
        });
        var deadline = Stopwatch.GetTimestamp() + (long)(options.SampleTime.TotalSeconds * 2 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var t0 = Stopwatch.GetTimestamp();
            foreach (var n in names) BenchEnvironment.Expect(_vfs.Create(Principal.Root, dir, n, CreateHow.Guarded()));
            var t1 = Stopwatch.GetTimestamp();
            foreach (var n in names) BenchEnvironment.Expect(_vfs.Remove(Principal.Root, dir, n));
            var t2 = Stopwatch.GetTimestamp();
            create += t1 - t0;
            remove += t2 - t1;
            pairs += Batch;
        }
        var us = 1e6 / Stopwatch.Frequency / pairs;
        yield return new("LocalVfs.Create (Guarded)", create * us, "1", "whole call");
        yield return new("LocalVfs.Remove", remove * us, "1", "whole call");
        _vfs.SyncExternalChanges();
        subscription.Dispose();
        yield return new("External Created published", null, $"{(double)externalCreated / pairs:0.00} per Create",
            "watcher republishing the Vfs's own create (should be 0)");
        yield return new("External Removed published", null, $"{(double)externalRemoved / pairs:0.00} per Remove",
            "watcher won the race with Remove: it forgot the node itself (should be 0)");

        // The same pair on a second export whose Vfs runs no inotify watcher, alternated with the watched
        // export (3 rounds each, medians) so the filesystem's drift falls on both.
        var quiet = Path.Combine(env.Base, "export-unwatched");
        Directory.CreateDirectory(quiet);
        using (var unwatched = LocalVfs.Open(env.Store, "bench-unwatched", quiet, new LocalVfsOptions { WatchExternalChanges = false }))
        {
            var i = 0;
            void Pair(LocalVfs vfs, NodeId where)
            {
                var n = names[i++ % Batch];
                BenchEnvironment.Expect(vfs.Create(Principal.Root, where, n, CreateHow.Guarded()));
                BenchEnvironment.Expect(vfs.Remove(Principal.Root, where, n));
            }
            var on = new double[3];
            var off = new double[3];
            for (var r = 0; r < 3; r++)
            {
                on[r] = Time(() => Pair(_vfs, dir));
                off[r] = Time(() => Pair(unwatched, unwatched.Root));
            }
            var watched = ResultRow.Median(on);
            var quietPair = ResultRow.Median(off);
            yield return new("Create+Remove, watcher on", watched, "", "same export as above, timed as pairs");
            yield return new("Create+Remove, watcher off", quietPair, "", "LocalVfsOptions.WatchExternalChanges = false, alternated with the line above");
            yield return new("inotify watcher's share", watched - quietPair, "per pair", "wake-ups of the watcher thread, its statx and index lock, racing the operation");
        }

        // The Store's share: one transaction per new node, one per forgotten node, on a store of its own.
        using var store = GatewayStore.Open(Path.Combine(env.Base, "state-breakdown"));
        var export = store.EnsureExport("breakdown", quiet);
        ulong ino = 1;
        NodeId last = default;
        var insert = Time(() => last = store.InsertNode(export, 1, ino++, 1, new NodeId(1), "x", FileType.Regular));
        var delete = 0.0;
        {
            var ids = new List<NodeId>();
            for (var k = 0; k < 2000; k++) ids.Add(store.InsertNode(export, 2, (ulong)k, 1, new NodeId(1), "y", FileType.Regular));
            var start = Stopwatch.GetTimestamp();
            foreach (var id in ids) store.DeleteNode(id);
            delete = Stopwatch.GetElapsedTime(start).TotalMicroseconds / ids.Count;
        }
        yield return new("GatewayStore.InsertNode", insert, "1 per Create", "one SQLite write transaction (WAL, synchronous=NORMAL)");
        yield return new("GatewayStore.DeleteNode", delete, "1 per Remove", "one SQLite write transaction, 4 DELETEs");

        var dirFd = DirectFs.OpenPath(quiet, directory: true);
        try
        {
            var cname = DirectFs.CString("probe");
            yield return new("openat(O_CREAT|O_EXCL)+close+unlinkat", Time(() => CreateRemoveDirect(dirFd, cname)), "", "the direct side's pair");
            File.WriteAllBytes(Path.Combine(quiet, "probe"), []);
            yield return new("openat(dirfd, name, O_PATH)+close", Time(() => OpenPathClose(dirFd, cname)), "", "descriptor the index caches per node");
            yield return new("statx(dirfd, name)", Time(() => StatAt(dirFd, cname)), "", "");
        }
        finally
        {
            LibC.Close(dirFd);
        }
    }

    /// <summary>Microseconds per call of <paramref name="op"/>, over one sample's time.</summary>
    private double Time(Action op)
    {
        for (var i = 0; i < 100; i++) op();
        return 1e6 / Measure.OpsPerSecond(options.SampleTime, () =>
        {
            for (var i = 0; i < Batch; i++) op();
            return Batch;
        });
    }

    private static void StatFd(int fd)
    {
        byte empty = 0;
        StatxBuffer st;
        if (LibC.Statx(fd, &empty, LibC.AT_EMPTY_PATH | LibC.AT_SYMLINK_NOFOLLOW, Sys.StatxMask, &st) != 0) throw DirectFs.Fail("statx", "fd");
    }

    private static void StatAt(int dirFd, byte[] name)
    {
        StatxBuffer st;
        fixed (byte* p = name)
            if (LibC.Statx(dirFd, p, LibC.AT_SYMLINK_NOFOLLOW, Sys.StatxMask, &st) != 0) throw DirectFs.Fail("statx", "name");
    }

    private static void CreateRemoveDirect(int dirFd, byte[] name)
    {
        fixed (byte* p = name)
        {
            var fd = LibC.Openat(dirFd, p, LibC.O_CREAT | LibC.O_EXCL | LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0x1A4);
            if (fd < 0) throw DirectFs.Fail("openat", "probe");
            LibC.Close(fd);
            if (LibC.Unlinkat(dirFd, p, 0) != 0) throw DirectFs.Fail("unlinkat", "probe");
        }
    }

    private static void OpenPathClose(int dirFd, byte[] name)
    {
        fixed (byte* p = name)
        {
            var fd = LibC.Openat(dirFd, p, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
            if (fd < 0) throw DirectFs.Fail("openat", "probe");
            LibC.Close(fd);
        }
    }
}
