namespace Gateway.Nfs.Tests.Support;

/// <summary>A temporary export root and state directory, removed at dispose.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-nfs-" + Guid.NewGuid().ToString("N")[..12]);
        Root = Path.Combine(Base, "export");
        State = Path.Combine(Base, "state");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(State);
    }

    public string Base { get; }
    public string Root { get; }
    public string State { get; }

    public string At(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
