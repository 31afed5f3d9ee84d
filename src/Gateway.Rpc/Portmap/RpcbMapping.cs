namespace Gateway.Rpc.Portmap;

// RFC 1833 §2.1:
//   struct rpcb {
//      rpcprog r_prog;     /* program number */
//      rpcvers r_vers;     /* version number */
//      string r_netid<>;   /* network id */
//      string r_addr<>;    /* universal address */
//      string r_owner<>;   /* owner of this service */
//   };
public sealed record RpcbMapping(uint Program, uint Version, string NetId, string Address, string Owner)
{
    public static RpcbMapping Read(ref XdrReader reader)
    {
        uint program = reader.ReadUInt32();
        uint version = reader.ReadUInt32();
        string netId = reader.ReadString(PortmapConstants.MaxStringLength);
        string address = reader.ReadString(PortmapConstants.MaxStringLength);
        string owner = reader.ReadString(PortmapConstants.MaxStringLength);
        return new RpcbMapping(program, version, netId, address, owner);
    }

    public void Write(ref XdrWriter writer)
    {
        writer.WriteUInt32(Program);
        writer.WriteUInt32(Version);
        writer.WriteString(NetId);
        writer.WriteString(Address);
        writer.WriteString(Owner);
    }
}
