namespace Gateway.Smb.DceRpc;

/// <summary>One DCE/RPC interface served on a named pipe.</summary>
internal interface IRpcInterface
{
    SyntaxId Syntax { get; }

    /// <summary>
    /// Runs one call: decodes <paramref name="stub"/> (NDR 2.0, little-endian), writes the [out] stub.
    /// False: no such opnum (the endpoint faults with nca_s_op_rng_error). Malformed stubs throw
    /// <see cref="NdrException"/>.
    /// </summary>
    bool TryInvoke(ushort opnum, ReadOnlySpan<byte> stub, NdrWriter output);
}

/// <summary>Win32 error codes (WERROR) the server procedures return.</summary>
internal static class WinError
{
    public const uint Success = 0;
    public const uint AccessDenied = 5;
    public const uint InvalidParameter = 0x57;
    public const uint InvalidLevel = 0x7C;
    public const uint NetNameNotFound = 2310; // NERR_NetNameNotFound
}
