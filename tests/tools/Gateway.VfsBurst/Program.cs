using Gateway.Vfs;
using Gateway.Vfs.Local;
using Gateway.Vfs.Store;

// A burst of creates, renames and removes through the Vfs, run as a child process so a test can
// kill -9 it mid-operation and then check that the state database and the index survived.
// Usage: Gateway.VfsBurst ROOT STATE_DIR
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Gateway.VfsBurst ROOT STATE_DIR");
    return 2;
}
var store = GatewayStore.Open(args[1]);
var vfs = LocalVfs.Open(store, "burst", args[0]);
var caller = Principal.Root;
var rng = new Random(Environment.ProcessId);
var dirs = new List<NodeId> { vfs.Root };
Console.Out.WriteLine("ready");
Console.Out.Flush();
for (long i = 0; ; i++)
{
    var dir = dirs[rng.Next(dirs.Count)];
    switch (rng.Next(5))
    {
        case 0:
            var d = vfs.Mkdir(caller, dir, $"d{i}");
            if (d.IsOk) dirs.Add(d.Value.Node);
            break;
        case 1:
        case 2:
            vfs.Create(caller, dir, $"f{i}", CreateHow.Guarded());
            break;
        case 3:
            var page = vfs.ReadDir(caller, dir, 0, 8, withAttributes: false);
            if (page.IsOk && page.Value.Entries.Count > 0)
            {
                var e = page.Value.Entries[rng.Next(page.Value.Entries.Count)];
                vfs.Rename(caller, dir, e.Name, dirs[rng.Next(dirs.Count)], $"r{i}");
            }
            break;
        default:
            var list = vfs.ReadDir(caller, dir, 0, 8, withAttributes: false);
            if (list.IsOk && list.Value.Entries.Count > 0 && list.Value.Entries[0].Type == FileType.Regular)
                vfs.Remove(caller, dir, list.Value.Entries[0].Name);
            break;
    }
}
