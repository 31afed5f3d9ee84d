using System.Net;

namespace Gateway.Rpc.Tests.Support;

// Feeds one call message into a dispatcher without sockets (the embedded seam).
internal static class Embedded
{
    public static RpcConnectionInfo Connection(string remote = "127.0.0.1", long id = 1) =>
        new(id, new IPEndPoint(IPAddress.Parse(remote), 871), new IPEndPoint(IPAddress.Loopback, 2049));

    // The whole reply record (mark included), or null when the dispatcher sends nothing.
    public static async Task<byte[]?> DispatchAsync(RpcDispatcher dispatcher, byte[] message, RpcConnectionInfo? connection = null)
    {
        using PooledBufferWriter? reply = await dispatcher.DispatchAsync(message, connection ?? Connection());
        return reply?.WrittenSpan.ToArray();
    }

    public static RpcDispatcher Dispatcher(params IRpcProgram[] programs)
    {
        var dispatcher = new RpcDispatcher(new DuplicateRequestCache());
        foreach (IRpcProgram p in programs)
        {
            dispatcher.Register(p);
        }

        return dispatcher;
    }
}
