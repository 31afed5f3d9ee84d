namespace Gateway.Smb.DceRpc;

/// <summary>Malformed stub data; the endpoint answers it with a FAULT (RPC_X_BAD_STUB_DATA).</summary>
internal sealed class NdrException(string message) : Exception(message);
