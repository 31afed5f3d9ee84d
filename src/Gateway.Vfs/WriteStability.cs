namespace Gateway.Vfs;

/// <summary>How durable a write must be before the call returns (NFSv3 stable_how; SMB write-through = FileSync).</summary>
public enum WriteStability : byte
{
    Unstable = 0,
    DataSync = 1,
    FileSync = 2,
}

/// <summary>The outcome of a write: bytes written, how durable they are, and the boot verifier that changes on restart.</summary>
public readonly record struct WriteResult(int Count, WriteStability Committed, ulong Verifier, WccAttributes? Before, VfsAttributes After);

public readonly record struct ReadResult(int Count, bool Eof, VfsAttributes Attributes);
