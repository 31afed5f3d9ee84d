namespace Gateway.Vfs.Locking;

/// <summary>One open's share reservation, as persisted. <see cref="OpenId"/> is unique per node.</summary>
public sealed record ShareRecord(NodeId Node, ulong OpenId, LockOwner Owner, ShareAccess Access, ShareAccess Deny);
