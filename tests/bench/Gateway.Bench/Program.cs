using Gateway.Bench;

// Gateway.Bench: the local Vfs against the syscalls it wraps, alternating in one run on one disk.
// See tests/bench/README.md for what each row measures and how to read it.
var options = BenchOptions.Parse(args, Console.Error);
if (options is null) return 2;

using var env = new BenchEnvironment(options.BaseDirectory);
// Ctrl-C: still remove the temporary tree (the using above does not run when the process is interrupted).
Console.CancelKeyPress += (_, _) => env.Dispose();
Console.Error.WriteLine($"working in {env.Base}{(options.Quick ? " (quick)" : "")}");

var rows = new List<ResultRow>();
if (options.Runs("getattr"))
    using (var w = new GetAttrWorkload(env)) rows.Add(w.Run(options));
if (options.Runs("lookup"))
    using (var w = new LookupWorkload(env)) rows.Add(w.Run(options));
if (options.Runs("create"))
    using (var w = new CreateRemoveWorkload(env)) rows.Add(w.Run(options));
if (options.Runs("io"))
    using (var w = new SequentialIoWorkload(env, options)) rows.AddRange(w.Run(options));
var breakdown = options.Breakdown ? new Breakdown(env, options).Run() : [];

var markdown = Report.Markdown(options, env, rows, breakdown);
Console.WriteLine(markdown);
if (options.MarkdownPath is { } md) File.WriteAllText(md, markdown);
if (options.JsonPath is { } json) Report.Json(json, options, rows, breakdown);
return 0;
