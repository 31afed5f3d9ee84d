using System.Runtime.InteropServices;

namespace Gateway.Cli;

/// <summary>The real uid/gid of this process (the BCL exposes neither).</summary>
internal static partial class ProcessIds
{
    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint Uid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint Gid();
}
