namespace Gateway.Bench;

/// <summary>Command line and the timing budget it selects.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    public string? MarkdownPath { get; init; }
    public string? JsonPath { get; init; }
    /// <summary>Parent of the temporary directory; the export and the direct baseline both live beneath it, so on the same disk.</summary>
    public string BaseDirectory { get; init; } = Path.GetTempPath();
    public bool Breakdown { get; init; }
    /// <summary>Workloads to run (getattr, lookup, create, io); empty = all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public bool Runs(string workload) => Only.Count == 0 || Only.Contains(workload);

    /// <summary>Alternating rounds per row (each round is one Vfs sample and one direct sample).</summary>
    public int Rounds => Quick ? 5 : 7;
    public TimeSpan SampleTime => TimeSpan.FromMilliseconds(Quick ? 100 : 500);
    public TimeSpan WarmupTime => TimeSpan.FromMilliseconds(Quick ? 300 : 500); // long enough for tier-1 JIT
    public long IoFileBytes => (Quick ? 32L : 256L) << 20;
    public int IoChunkBytes => 1 << 20;

    public const string Usage = """
        Gateway.Bench: the Vfs against direct syscalls on the same disk, in the same run.

          --quick        short run (about 20 s): 100 ms samples (300 ms warm-up), 5 rounds, 32 MiB file
          --out FILE.md  also write the markdown report to FILE.md
          --json FILE    write the raw samples as JSON
          --dir DIR      where to make the temporary directory (default: the system temp dir)
          --breakdown    also time the parts of the Vfs operations (where the time goes)
          --only LIST    run only these rows: getattr,lookup,create,io (for profiling one workload)
        """;

    private static readonly string[] Workloads = ["getattr", "lookup", "create", "io"];

    private static HashSet<string> ParseOnly(string list)
    {
        var set = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = set.Except(Workloads).ToList();
        return unknown.Count == 0 ? set : throw new ArgumentException($"--only: unknown workload {string.Join(", ", unknown)}");
    }

    public static BenchOptions? Parse(string[] args, TextWriter error)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                o = args[i] switch
                {
                    "--quick" => o with { Quick = true },
                    "--out" => o with { MarkdownPath = Next() },
                    "--json" => o with { JsonPath = Next() },
                    "--dir" => o with { BaseDirectory = Next() },
                    "--breakdown" => o with { Breakdown = true },
                    "--only" => o with { Only = ParseOnly(Next()) },
                    "-h" or "--help" => null,
                    _ => throw new ArgumentException($"unknown argument {args[i]}"),
                };
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                o = null;
            }
            if (o is null)
            {
                error.WriteLine(Usage);
                return null;
            }
        }
        return o;
    }
}
