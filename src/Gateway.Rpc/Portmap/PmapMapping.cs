namespace Gateway.Rpc.Portmap;

// RFC 1833 §3.1, version 2:
//   struct mapping {
//      unsigned int prog;
//      unsigned int vers;
//      unsigned int prot;   /* IPPROTO_TCP = 6, IPPROTO_UDP = 17 */
//      unsigned int port;
//   };
public readonly record struct PmapMapping(uint Program, uint Version, uint Protocol, uint Port)
{
    public static PmapMapping Read(ref XdrReader reader) =>
        new(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());

    public void Write(ref XdrWriter writer)
    {
        writer.WriteUInt32(Program);
        writer.WriteUInt32(Version);
        writer.WriteUInt32(Protocol);
        writer.WriteUInt32(Port);
    }
}
