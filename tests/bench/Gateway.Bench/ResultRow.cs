namespace Gateway.Bench;

/// <summary>The samples of one row (rates: higher is better) and the target, if the issue sets one.</summary>
internal sealed record ResultRow(string Workload, string Unit, double[] Vfs, double[] Direct, double? MaxSlowdown, string Note)
{
    public double VfsMedian => Median(Vfs);
    public double DirectMedian => Median(Direct);

    /// <summary>Vfs rate over direct rate: 1.0 is parity, 0.5 means each Vfs operation takes twice as long.</summary>
    public double Ratio => VfsMedian / DirectMedian;

    /// <summary>Time per operation through the Vfs over time per direct operation.</summary>
    public double Slowdown => DirectMedian / VfsMedian;

    /// <summary>Null when the row has no target (informational).</summary>
    public bool? Pass => MaxSlowdown is { } max ? Slowdown <= max : null;

    public static double Median(double[] samples)
    {
        var s = (double[])samples.Clone();
        Array.Sort(s);
        var mid = s.Length / 2;
        return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }
}
