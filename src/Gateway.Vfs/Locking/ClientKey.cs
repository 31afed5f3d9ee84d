namespace Gateway.Vfs.Locking;

/// <summary>
/// One client as its protocol knows it (an NLM caller, an SMB session, an NFSv4 clientid),
/// reduced to 64 bits by the adapter. Only compared for equality.
/// </summary>
public readonly record struct ClientKey(ulong Value);
