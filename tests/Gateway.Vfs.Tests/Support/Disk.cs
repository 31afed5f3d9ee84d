namespace Gateway.Vfs.Tests.Support;

/// <summary>Facts about files read with ordinary tools, independent of the code under test.</summary>
internal static class Disk
{
    public static ulong Inode(string path) => ulong.Parse(Run("stat", "-c", "%i", path).Trim());

    public static string Run(string tool, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: exit {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        return output;
    }
}
