namespace Gateway.Vfs.Locking;

/// <summary>Persisted: values are frozen.</summary>
public enum LockKind : byte
{
    Shared = 1,
    Exclusive = 2,
}
