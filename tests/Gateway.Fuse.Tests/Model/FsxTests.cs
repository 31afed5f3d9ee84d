using System.Diagnostics;
using Gateway.Fuse.Tests.Posix;
using Xunit.Abstractions;

namespace Gateway.Fuse.Tests.Model;

/// <summary>
/// Random operations checked against in-memory models (fsx-style): one file, several files at once, and
/// a directory tree. The seed is printed and is in every failure message; FSX_SEED=N replays a run,
/// FSX_OPS=N changes its length.
/// </summary>
public sealed class FsxTests(MountFixture fixture, ITestOutputHelper output) : IClassFixture<MountFixture>
{
    [Fact]
    public void One_file_matches_the_model()
    {
        var seed = FsxSettings.Seed;
        var ops = FsxSettings.Ops;
        output.WriteLine($"target {fixture.Mount.Target}, seed {seed} (FSX_SEED), {ops} operations (FSX_OPS)");
        var dir = Fresh("fsx-one");
        var rng = new Random(seed);
        var clock = Stopwatch.StartNew();
        using var file = new FileModel(Path.Combine(dir.OnMount, "file"), Path.Combine(dir.OnBacking, "file"), rng, seed, "one file");
        for (var i = 0; i < ops; i++)
        {
            file.Step();
            if (i % 1000 == 999) file.CheckAll();
        }
        file.CheckAll();
        output.WriteLine($"{file.Summary()}; {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Several_files_at_once_match_their_models()
    {
        var seed = FsxSettings.Seed;
        var ops = FsxSettings.Ops;
        output.WriteLine($"target {fixture.Mount.Target}, seed {seed} (FSX_SEED), {ops} operations over 4 files");
        var dir = Fresh("fsx-many");
        var rng = new Random(seed);
        var clock = Stopwatch.StartNew();
        var files = Enumerable.Range(0, 4)
            .Select(i => new FileModel(Path.Combine(dir.OnMount, $"file{i}"), Path.Combine(dir.OnBacking, $"file{i}"), rng, seed, $"file{i} of 4"))
            .ToList();
        try
        {
            for (var i = 0; i < ops; i++)
            {
                files[rng.Next(files.Count)].Step();
                if (i % 2000 == 1999) files.ForEach(f => f.CheckAll());
            }
            files.ForEach(f => f.CheckAll());
            foreach (var f in files) output.WriteLine(f.Summary());
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            files.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public void Directory_operations_match_the_model_tree()
    {
        var seed = FsxSettings.Seed;
        var ops = FsxSettings.Ops;
        output.WriteLine($"target {fixture.Mount.Target}, seed {seed} (FSX_SEED), {ops} directory operations");
        var dir = Fresh("fsx-tree");
        var clock = Stopwatch.StartNew();
        var model = new TreeModel(dir.OnMount, dir.OnBacking, new Random(seed), seed);
        for (var i = 0; i < ops; i++)
        {
            model.Step();
            if (i % 2000 == 1999) model.CheckAll();
        }
        model.CheckAll();
        output.WriteLine(string.Join(", ", model.Counts.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")) + $"; {clock.Elapsed.TotalSeconds:F1} s");
    }

    private (string OnMount, string OnBacking) Fresh(string name)
    {
        var (onMount, _) = fixture.FreshPair(name);
        return (onMount, Path.Combine(fixture.Mount.BackingDirectory, name));
    }
}
