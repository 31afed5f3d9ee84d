namespace Gateway.Host;

/// <summary>Where a gateway keeps its database when --state-dir is not given.</summary>
public static class StateDirectory
{
    /// <summary>/var/lib/gateway for root (like other system daemons), else $XDG_STATE_HOME/gateway or ~/.local/state/gateway.</summary>
    public static string Default()
    {
        if (Environment.IsPrivilegedProcess) return "/var/lib/gateway";
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "gateway");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "gateway");
    }

    /// <summary>Creates the directory if needed and proves it is writable, or throws with one clear sentence.</summary>
    public static void EnsureWritable(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayStartupException($"cannot write state directory {path}: {e.Message}");
        }
    }
}
