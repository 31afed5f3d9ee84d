namespace Gateway.Vfs.Locking;

/// <summary>
/// Who holds a lock or an open. Typed rather than a string so that releasing a client
/// (NLM FREE_ALL, SMB logoff, NFSv4 lease expiry) is a field comparison. <see cref="Owner"/>
/// is whatever the protocol uses within a client: an NLM svid, an NFSv4 lock-owner, an SMB open.
/// </summary>
public readonly record struct LockOwner(LockProtocol Protocol, ClientKey Client, ulong Owner);
