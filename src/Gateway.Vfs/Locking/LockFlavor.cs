namespace Gateway.Vfs.Locking;

/// <summary>
/// Which rule set a byte-range lock follows. Persisted: values are frozen.
/// </summary>
public enum LockFlavor : byte
{
    /// <summary>
    /// fcntl/NLM/NFSv4: per owner, merged and split, advisory for I/O,
    /// <see cref="ByteRange.Length"/> 0 means to end of file.
    /// </summary>
    Posix = 1,

    /// <summary>
    /// SMB (MS-FSA 2.1.5.8/2.1.5.9): stacked, never merged, unlocked only by exact
    /// offset and length, mandatory for other owners' I/O, <see cref="ByteRange.Length"/> literal
    /// (0 means zero bytes).
    /// </summary>
    Windows = 2,
}
