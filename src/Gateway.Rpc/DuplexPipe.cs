using System.IO.Pipelines;

namespace Gateway.Rpc;

// The two halves a connection reads and writes: a socket's stream in the server, a pair
// of in-memory Pipes in tests.
public sealed class DuplexPipe : IDuplexPipe
{
    public DuplexPipe(PipeReader input, PipeWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Input = input;
        Output = output;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    // Two connected duplex pipes: what one writes, the other reads. Handy to run an
    // RpcConnection in memory (Kestrel's in-memory transport used the same shape).
    public static (DuplexPipe Server, DuplexPipe Client) CreatePair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new DuplexPipe(toServer.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, toServer.Writer));
    }
}
