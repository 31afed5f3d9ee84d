namespace Gateway.Fuse.Tests.Model;

/// <summary>
/// The random-operation tests' knobs: FSX_SEED replays a run (the seed is printed in the output and in
/// every failure), FSX_OPS changes the number of operations (default sized for about 20 s on a FUSE mount).
/// </summary>
internal static class FsxSettings
{
    public const int DefaultSeed = 20261124;
    public const int DefaultOps = 35000;

    public static int Seed => Environment.GetEnvironmentVariable("FSX_SEED") is { Length: > 0 } s
        ? (s == "random" ? Random.Shared.Next() : int.Parse(s))
        : DefaultSeed;

    public static int Ops => Environment.GetEnvironmentVariable("FSX_OPS") is { Length: > 0 } s ? int.Parse(s) : DefaultOps;
}
