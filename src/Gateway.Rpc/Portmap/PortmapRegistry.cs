using System.Net;

namespace Gateway.Rpc.Portmap;

// The in-memory registration table behind PortmapProgram, with rpcbind's rules
// (rpcbind's rpcb_svc_com.c map_set/map_unset/find_service):
// - one entry per (program, version, netid); a second SET for it fails;
// - UNSET removes every netid of (program, version) when the netid is empty;
// - a lookup prefers the exact version and can fall back to any version of the program.
public sealed class PortmapRegistry
{
    private readonly object _lock = new();
    private readonly List<RpcbMapping> _mappings = [];

    public bool Set(RpcbMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        lock (_lock)
        {
            foreach (RpcbMapping m in _mappings)
            {
                if (m.Program == mapping.Program && m.Version == mapping.Version
                    && string.Equals(m.NetId, mapping.NetId, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            _mappings.Add(mapping);
            return true;
        }
    }

    // Removes (program, version) on netId, or on every netid when netId is null or empty.
    public bool Unset(uint program, uint version, string? netId)
    {
        lock (_lock)
        {
            int removed = _mappings.RemoveAll(m => m.Program == program && m.Version == version
                && (string.IsNullOrEmpty(netId) || string.Equals(m.NetId, netId, StringComparison.OrdinalIgnoreCase)));
            return removed > 0;
        }
    }

    // The mapping of (program, version) on netId; with exactVersion false, any version of
    // the program on that netid when the exact one is not registered.
    public RpcbMapping? Find(uint program, uint version, string netId, bool exactVersion)
    {
        lock (_lock)
        {
            RpcbMapping? other = null;
            foreach (RpcbMapping m in _mappings)
            {
                if (m.Program != program || !string.Equals(m.NetId, netId, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (m.Version == version)
                {
                    return m;
                }

                other ??= m;
            }

            return exactVersion ? null : other;
        }
    }

    public RpcbMapping[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _mappings];
        }
    }

    // Registers every version of a program served over TCP at endPoint (netid tcp or tcp6
    // after its address family), as a gateway does for itself at startup.
    public void RegisterTcp(IRpcProgram program, IPEndPoint endPoint, string owner = "gateway")
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(endPoint);
        string netId = UniversalAddress.TcpNetId(endPoint.AddressFamily);
        string address = UniversalAddress.Format(endPoint);
        for (uint v = program.MinVersion; ; v++)
        {
            Set(new RpcbMapping(program.Program, v, netId, address, owner));
            if (v == program.MaxVersion)
            {
                break;
            }
        }
    }
}
