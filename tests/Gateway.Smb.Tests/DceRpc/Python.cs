using System.Diagnostics;
using System.Text;
using Gateway.Smb.DceRpc;

namespace Gateway.Smb.Tests.DceRpc;

/// <summary>
/// Runs Debian's python3 with impacket (not the pyenv python on PATH). Fails, never skips, when
/// impacket is missing: the interop tests are the point.
/// </summary>
internal static class Python
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Run(string script, string stdin)
    {
        using Process p = Start(script);
        try
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(Timeout), "python timed out");
            Assert.True(p.ExitCode == 0, $"python failed ({p.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Runs a script that talks DCE/RPC through stdout/stdin: "W hex" lines are written to the pipe,
    /// "R" asks for the next PDU (answered with one hex line, empty when there is none). Other lines are
    /// the script's results, returned.
    /// </summary>
    public static List<string> Relay(string script, NamedPipeEndpoint pipe)
    {
        using Process p = Start(script);
        var results = new List<string>();
        try
        {
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow + Timeout;
            var buffer = new byte[65536];
            while (true)
            {
                Task<string?> lineTask = p.StandardOutput.ReadLineAsync();
                Assert.True(lineTask.Wait(deadline - DateTime.UtcNow), "python relay timed out");
                string? line = lineTask.Result;
                if (line is null) break;
                if (line.StartsWith("W ", StringComparison.Ordinal))
                {
                    pipe.Write(Convert.FromHexString(line.AsSpan(2)));
                }
                else if (line == "R")
                {
                    var message = new StringBuilder();
                    bool more;
                    do
                    {
                        int n = pipe.Read(buffer, out more);
                        message.Append(Convert.ToHexString(buffer, 0, n));
                    }
                    while (more);
                    p.StandardInput.WriteLine(message.ToString());
                    p.StandardInput.Flush();
                }
                else
                {
                    results.Add(line);
                }
            }

            Assert.True(p.WaitForExit(Timeout), "python did not exit");
            Assert.True(p.ExitCode == 0, $"python failed ({p.ExitCode}): {stderr.Result}\nresults so far: {string.Join("\n", results)}");
            return results;
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    private static Process Start(string script)
    {
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["PYTHONUNBUFFERED"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start " + Interpreter);
    }
}
