namespace Gateway.Host.Rpc;

public enum PortmapMode
{
    /// <summary>Serve port 111 when it is free; else register with the system rpcbind; else go without (clients give ports).</summary>
    Auto,
    Off,
}
