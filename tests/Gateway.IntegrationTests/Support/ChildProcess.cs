using System.Diagnostics;
using System.Text;

namespace Gateway.IntegrationTests.Support;

/// <summary>
/// A program the test started: output captured line by line, killed (SIGKILL) at dispose if it is still
/// running, so no test leaves a process behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    /// <summary>Runs a .dll from the test's output folder with the same dotnet host that runs the tests.</summary>
    public static ChildProcess StartDotnet(string dll, params string[] args)
    {
        var host = Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet";
        return Start(host, [Path.Combine(AppContext.BaseDirectory, dll), .. args]);
    }

    public static ChildProcess Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._stdout) child._stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._stderr) child._stderr.AppendLine(e.Data); };
        p.Exited += (_, _) => child._exited.TrySetResult();
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return child;
    }

    public int Pid => _process.Id;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"exited ({_process.ExitCode}) before printing '{text}'. stdout: {Stdout} stderr: {Stderr}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' within {timeout}. stdout: {Stdout} stderr: {Stderr}");
            await Task.Delay(20);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
            throw new TimeoutException($"still running after {timeout}. stdout: {Stdout} stderr: {Stderr}");
        _process.WaitForExit(); // flushes the output readers
        return _process.ExitCode;
    }

    /// <summary>Writes to the program's standard input and closes it (end of input).</summary>
    public void WriteStdin(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Close();
    }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
