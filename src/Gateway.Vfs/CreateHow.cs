namespace Gateway.Vfs;

public enum CreateMode : byte
{
    /// <summary>Create, or open the existing regular file (applying the initial attributes).</summary>
    Unchecked,
    /// <summary>Fail with Exists if the name exists.</summary>
    Guarded,
    /// <summary>Exactly-once create: a retry with the same verifier succeeds, another verifier gets Exists.</summary>
    Exclusive,
}

/// <summary>How to create a regular file (NFSv3 createhow3).</summary>
public readonly record struct CreateHow(CreateMode Mode, SetAttributes? Attributes = null, ulong Verifier = 0)
{
    public static CreateHow Unchecked(SetAttributes? attributes = null) => new(CreateMode.Unchecked, attributes);
    public static CreateHow Guarded(SetAttributes? attributes = null) => new(CreateMode.Guarded, attributes);
    public static CreateHow Exclusive(ulong verifier) => new(CreateMode.Exclusive, null, verifier);
}
