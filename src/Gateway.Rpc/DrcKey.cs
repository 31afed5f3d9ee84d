using System.Net;

namespace Gateway.Rpc;

// Identifies one call for the duplicate request cache. The xid alone is not enough: it
// is only unique per client, and a client that reboots restarts its xids, so the
// address, the program triple and a checksum of the arguments are part of the key
// (Linux nfsd and ganesha key the same way).
public readonly record struct DrcKey(IPAddress? Client, uint Xid, uint Program, uint Version, uint Procedure, ulong Checksum);
