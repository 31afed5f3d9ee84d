namespace Gateway.Vfs.Tests;

/// <summary>A temporary export root, state directory and an outside directory, removed at dispose.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-test-" + Guid.NewGuid().ToString("N")[..12]);
        Root = Path.Combine(Base, "export");
        State = Path.Combine(Base, "state");
        Outside = Path.Combine(Base, "outside");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret"), "outside the export");
    }

    public string Base { get; }
    public string Root { get; }
    public string State { get; }
    public string Outside { get; }

    public string At(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
