namespace Gateway.IntegrationTests.Support;

/// <summary>An export directory and a state directory under one temp folder, removed at dispose.</summary>
public sealed class TempDirs : IDisposable
{
    public TempDirs()
    {
        Base = Path.Combine(Path.GetTempPath(), "gw-it-" + Guid.NewGuid().ToString("N")[..12]);
        Export = Path.Combine(Base, "export");
        State = Path.Combine(Base, "state");
        Directory.CreateDirectory(Export);
    }

    public string Base { get; }
    public string Export { get; }
    public string State { get; }

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
