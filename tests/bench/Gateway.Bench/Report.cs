using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Gateway.Vfs.Native;

namespace Gateway.Bench;

/// <summary>The markdown table (stdout, --out) and the raw samples (--json).</summary>
internal static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(BenchOptions o, BenchEnvironment env, IReadOnlyList<ResultRow> rows, IReadOnlyList<BreakdownLine> breakdown)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Gateway.Bench: LocalVfs vs direct syscalls").AppendLine();
        sb.AppendLine($"- {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, "
            + $".NET {Environment.Version}, {RuntimeInformation.ProcessArchitecture}{(o.Quick ? ", **--quick**" : "")}");
        sb.AppendLine($"- disk: `{env.Base}` on {FileSystemOf(env.Base)}");
        sb.AppendLine($"- method: one warm-up sample per side, then {o.Rounds} rounds of (Vfs, direct); metadata samples run "
            + $"{o.SampleTime.TotalMilliseconds:0} ms, I/O samples one pass over the file; median of the rounds, spread = min..max");
        sb.AppendLine("- Vfs/direct = Vfs rate ÷ direct rate (1.00 = parity); \"x time\" = how many times longer a Vfs operation takes");
        sb.AppendLine();
        sb.AppendLine("| workload | Vfs | direct | unit | Vfs spread | direct spread | Vfs/direct | x time | target | |");
        sb.AppendLine("|---|--:|--:|---|---|---|--:|--:|---|---|");
        foreach (var r in rows)
        {
            var target = r.MaxSlowdown is { } m ? $"≤ {m:0.0#}x time" : "—";
            var verdict = r.Pass switch { true => "PASS", false => "**MISS**", null => "info" };
            sb.AppendLine(string.Create(Inv,
                $"| {r.Workload} | {Full(r.VfsMedian)} | {Full(r.DirectMedian)} | {r.Unit} | {Spread(r.Vfs)} | {Spread(r.Direct)} | "
                + $"{r.Ratio:0.00} | {r.Slowdown:0.00} | {target} | {verdict} |"));
        }
        sb.AppendLine();
        foreach (var r in rows) sb.AppendLine($"- {r.Workload}: {r.Note}");
        sb.AppendLine("- targets are information (the issue's goals), never a failure of this program");

        if (breakdown.Count > 0)
        {
            sb.AppendLine().AppendLine("### Where the time goes (--breakdown)").AppendLine();
            sb.AppendLine("| step | µs per call | calls per Vfs op | note |");
            sb.AppendLine("|---|--:|--:|---|");
            foreach (var b in breakdown)
                sb.AppendLine(string.Create(Inv,
                    $"| {Cell(b.Step)} | {(b.Microseconds is { } us ? us.ToString("0.00", Inv) : "—")} | {Cell(b.PerOp)} | {Cell(b.Note)} |"));
        }
        return sb.ToString();
    }

    public static void Json(string path, BenchOptions o, IReadOnlyList<ResultRow> rows, IReadOnlyList<BreakdownLine> breakdown)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("date", DateTime.UtcNow);
        w.WriteString("os", RuntimeInformation.OSDescription);
        w.WriteString("runtime", Environment.Version.ToString());
        w.WriteNumber("cores", Environment.ProcessorCount);
        w.WriteBoolean("quick", o.Quick);
        w.WriteNumber("rounds", o.Rounds);
        w.WriteNumber("sampleMilliseconds", o.SampleTime.TotalMilliseconds);
        w.WriteNumber("ioFileBytes", o.IoFileBytes);
        w.WriteNumber("ioChunkBytes", o.IoChunkBytes);
        w.WriteStartArray("rows");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("workload", r.Workload);
            w.WriteString("unit", r.Unit);
            w.WriteString("note", r.Note);
            w.WriteNumber("vfsMedian", r.VfsMedian);
            w.WriteNumber("directMedian", r.DirectMedian);
            w.WriteNumber("ratio", r.Ratio);
            w.WriteNumber("slowdown", r.Slowdown);
            if (r.MaxSlowdown is { } m) w.WriteNumber("maxSlowdown", m);
            else w.WriteNull("maxSlowdown");
            if (r.Pass is { } p) w.WriteBoolean("pass", p);
            else w.WriteNull("pass");
            w.WriteStartArray("vfs");
            foreach (var v in r.Vfs) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteStartArray("direct");
            foreach (var v in r.Direct) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("breakdown");
        foreach (var b in breakdown)
        {
            w.WriteStartObject();
            w.WriteString("step", b.Step);
            if (b.Microseconds is { } us) w.WriteNumber("microseconds", us);
            else w.WriteNull("microseconds");
            w.WriteString("perOp", b.PerOp);
            w.WriteString("note", b.Note);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // A '|' inside a cell (O_CREAT|O_EXCL) would end it.
    private static string Cell(string s) => s.Replace("|", "\\|");

    private static string Full(double v) => v.ToString(v >= 100 ? "N0" : "N1", Inv);

    private static string Spread(double[] samples) => $"{Short(samples.Min())}..{Short(samples.Max())}";

    private static string Short(double v) => v switch
    {
        >= 1e6 => (v / 1e6).ToString("0.00", Inv) + "M",
        >= 1e4 => (v / 1e3).ToString("0", Inv) + "k",
        _ => v.ToString("0", Inv),
    };

    // /sys/fs/ext4/<device>/journal_task reads "<none>" on an ext4 mounted without a journal.
    private static unsafe bool Ext4HasNoJournal(int fd)
    {
        byte empty = 0;
        StatxBuffer st;
        if (LibC.Statx(fd, &empty, LibC.AT_EMPTY_PATH, LibC.STATX_BASIC_STATS, &st) != 0) return false;
        try
        {
            var device = new FileInfo($"/sys/dev/block/{st.DevMajor}:{st.DevMinor}").ResolveLinkTarget(returnFinalTarget: true);
            var task = device is null ? null : $"/sys/fs/ext4/{device.Name}/journal_task";
            return task is not null && File.Exists(task) && File.ReadAllText(task).Trim() == "<none>";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static unsafe string FileSystemOf(string path)
    {
        var fd = DirectFs.OpenPath(path, directory: true);
        try
        {
            StatfsBuffer fs;
            if (LibC.Fstatfs(fd, &fs) != 0) return "an unknown filesystem";
            var name = (ulong)fs.Type switch
            {
                0xEF53 => "ext4",
                0x58465342 => "xfs",
                0x9123683E => "btrfs",
                0x01021994 => "tmpfs",
                0x794C7630 => "overlayfs",
                0x2FC12FC1 => "zfs",
                0x6969 => "nfs",
                _ => "filesystem",
            };
            var journal = name == "ext4" && Ext4HasNoJournal(fd)
                ? "; **no journal**: ext4 then skips recently deleted inodes when it allocates one, so create+remove slows down as the run deletes files (both sides alike)"
                : "";
            return $"{name} (f_type 0x{fs.Type:X}){journal}";
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
