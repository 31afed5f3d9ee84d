using System.Net;
using Gateway.Rpc.Portmap;
using Gateway.Rpc.Tests.Support;
using static Gateway.Rpc.Portmap.PortmapConstants;

namespace Gateway.Rpc.Tests.Portmap;

public class PortmapTests
{
    private const uint Nfs = 100003;
    private const uint Mount = 100005;

    [Fact]
    public async Task Set_getport_dump_and_unset_over_version_2()
    {
        await using PortmapServer pm = await PortmapServer.StartAsync();

        Assert.True(await pm.Client.SetAsync(Nfs, 3, IPPROTO_TCP, 2049));
        Assert.False(await pm.Client.SetAsync(Nfs, 3, IPPROTO_TCP, 2050)); // already registered
        Assert.True(await pm.Client.SetAsync(Mount, 3, IPPROTO_UDP, 20048));

        Assert.Equal(2049, await pm.Client.GetPortAsync(Nfs, 3, IPPROTO_TCP));
        Assert.Equal(0, await pm.Client.GetPortAsync(Nfs, 3, IPPROTO_UDP));
        Assert.Equal(2049, await pm.Client.GetPortAsync(Nfs, 4, IPPROTO_TCP)); // another version will do (rpcbind)
        Assert.Equal(0, await pm.Client.GetPortAsync(100021, 4, IPPROTO_TCP));

        IReadOnlyList<PmapMapping> dump = await pm.Client.DumpAsync();
        Assert.Contains(new PmapMapping(Nfs, 3, IPPROTO_TCP, 2049), dump);
        Assert.Contains(new PmapMapping(Mount, 3, IPPROTO_UDP, 20048), dump);

        Assert.True(await pm.Client.UnsetAsync(Nfs, 3));
        Assert.False(await pm.Client.UnsetAsync(Nfs, 3));
        Assert.Equal(0, await pm.Client.GetPortAsync(Nfs, 3, IPPROTO_TCP));
    }

    [Fact]
    public async Task The_gateway_registers_its_own_programs_and_clients_find_them()
    {
        await using PortmapServer pm = await PortmapServer.StartAsync();
        pm.Registry.RegisterTcp(pm.Program, pm.Server.LocalEndPoint);

        Assert.Equal(pm.Server.Port, await pm.Client.GetPortAsync(PortmapConstants.Program, PmapVersion, IPPROTO_TCP));
        Assert.Equal(UniversalAddress.Format(pm.Server.LocalEndPoint),
            await pm.Client.GetAddressAsync(PortmapConstants.Program, RpcbVersion4));
    }

    [Fact]
    public async Task Rpcbind_set_getaddr_and_dump_with_universal_addresses()
    {
        await using PortmapServer pm = await PortmapServer.StartAsync();
        var nfs = new RpcbMapping(Nfs, 3, NetIdTcp, "0.0.0.0.8.1", "superuser");

        Assert.True(await pm.Client.SetAsync(nfs));
        Assert.False(await pm.Client.SetAsync(nfs));

        // A wildcard registration is answered with the address the client reached.
        Assert.Equal("127.0.0.1.8.1", await pm.Client.GetAddressAsync(Nfs, 3));
        Assert.Equal("127.0.0.1.8.1", await pm.Client.GetAddressAsync(Nfs, 4));       // GETADDR: any version
        Assert.Equal(string.Empty, await pm.Client.GetVersionAddressAsync(Nfs, 4));    // GETVERSADDR: exact
        Assert.Equal("127.0.0.1.8.1", await pm.Client.GetVersionAddressAsync(Nfs, 3));
        Assert.Equal(string.Empty, await pm.Client.GetAddressAsync(100021, 4));

        Assert.Contains(nfs, await pm.Client.DumpMappingsAsync());
        Assert.Equal(2049, await pm.Client.GetPortAsync(Nfs, 3, IPPROTO_TCP)); // v2 sees v3/v4 tcp entries

        Assert.True(await pm.Client.UnsetAsync(nfs with { NetId = string.Empty }));
        Assert.Empty(await pm.Client.DumpMappingsAsync());
    }

    [Fact]
    public async Task Callit_is_not_offered()
    {
        await using PortmapServer pm = await PortmapServer.StartAsync();
        await using RpcClient rpc = await RpcClient.ConnectAsync(pm.Server.LocalEndPoint);

        RpcCallException e = await Assert.ThrowsAsync<RpcCallException>(
            () => rpc.CallAsync(PortmapConstants.Program, PmapVersion, PMAPPROC_CALLIT, Calls.Words(Nfs, 3, 0, 0)));
        Assert.Equal(AcceptStat.PROC_UNAVAIL, e.AcceptStat);

        RpcCallException mismatch = await Assert.ThrowsAsync<RpcCallException>(
            () => rpc.CallAsync(PortmapConstants.Program, 5, 0, ReadOnlyMemory<byte>.Empty));
        Assert.Equal((2u, 4u), (mismatch.MismatchLow, mismatch.MismatchHigh));
    }

    [Fact]
    public async Task Getport_wire_bytes()
    {
        var registry = new PortmapRegistry();
        registry.Set(new RpcbMapping(Nfs, 3, NetIdTcp, "0.0.0.0.8.1", "superuser"));
        RpcDispatcher dispatcher = Embedded.Dispatcher(new PortmapProgram(registry));
        byte[] call = Hex.Bytes(
            "00001234 00000000 00000002" + // xid, CALL, rpcvers 2
            "000186a0 00000002 00000003" + // prog 100000, vers 2, PMAPPROC_GETPORT
            "00000000 00000000 00000000 00000000" + // AUTH_NONE cred and verf
            "000186a3 00000003 00000006 00000000"); // mapping { NFS, 3, IPPROTO_TCP, 0 }

        byte[]? reply = await Embedded.DispatchAsync(dispatcher, call);

        Assert.Equal(Hex.Of(Hex.Bytes(
            "8000001c" +                        // record mark, 28 bytes
            "00001234 00000001 00000000" +      // xid, REPLY, MSG_ACCEPTED
            "00000000 00000000 00000000" +      // verf AUTH_NONE, SUCCESS
            "00000801")), Hex.Of(reply));       // port 2049
    }

    [Fact]
    public async Task Dump_wire_bytes_are_an_optional_data_list()
    {
        var registry = new PortmapRegistry();
        registry.Set(new RpcbMapping(Nfs, 3, NetIdTcp, "0.0.0.0.8.1", "superuser"));
        registry.Set(new RpcbMapping(Nfs, 3, NetIdTcp6, "::.8.1", "superuser")); // not in a v2 dump
        RpcDispatcher dispatcher = Embedded.Dispatcher(new PortmapProgram(registry));

        byte[]? reply = await Embedded.DispatchAsync(dispatcher, Calls.Message(1, PortmapConstants.Program, 2, PMAPPROC_DUMP));

        Assert.Equal(Hex.Of(Hex.Bytes("00000001 000186a3 00000003 00000006 00000801 00000000")),
            Hex.Of(reply.AsSpan(4 + 24)));
    }

    [Theory]
    [InlineData(2u, PMAPPROC_SET)]
    [InlineData(2u, PMAPPROC_UNSET)]
    [InlineData(4u, RPCBPROC_SET)]
    [InlineData(3u, RPCBPROC_UNSET)]
    public async Task Changes_from_a_remote_caller_are_denied_as_too_weak(uint version, uint procedure)
    {
        var registry = new PortmapRegistry();
        RpcDispatcher dispatcher = Embedded.Dispatcher(new PortmapProgram(registry));
        byte[] args = version == 2
            ? Calls.Words(Nfs, 3, IPPROTO_TCP, 2049)
            : [.. Calls.Words(Nfs, 3, 3), .. "tcp\0"u8, .. Calls.Words(11), .. "0.0.0.0.8.1\0"u8, .. Calls.Words(0)];

        // 192.0.2.1 (TEST-NET-1) is only a value in the connection info here: nothing is sent.
        byte[]? remote = await Embedded.DispatchAsync(dispatcher, Calls.Message(1, PortmapConstants.Program, version, procedure, args),
            Embedded.Connection("192.0.2.1"));

        Assert.Equal(Hex.Of(Hex.Bytes("80000014 00000001 00000001 00000001 00000001 00000005")), Hex.Of(remote));
        Assert.Empty(registry.Snapshot());
    }

    [Fact]
    public async Task Set_from_a_loopback_caller_is_accepted()
    {
        var registry = new PortmapRegistry();
        RpcDispatcher dispatcher = Embedded.Dispatcher(new PortmapProgram(registry));
        byte[] set = Calls.Message(1, PortmapConstants.Program, 2, PMAPPROC_SET, Calls.Words(Nfs, 3, IPPROTO_TCP, 2049));

        byte[]? local = await Embedded.DispatchAsync(dispatcher, set, Embedded.Connection("127.0.0.1"));
        Assert.Equal(Hex.Of(Calls.Words(1)), Hex.Of(local.AsSpan(4 + 24))); // TRUE
    }

    [Fact]
    public async Task Gettime_answers_seconds_since_the_epoch()
    {
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        RpcDispatcher dispatcher = Embedded.Dispatcher(new PortmapProgram(new PortmapRegistry(), time));
        byte[]? reply = await Embedded.DispatchAsync(dispatcher, Calls.Message(1, PortmapConstants.Program, 3, RPCBPROC_GETTIME));
        Assert.Equal(Hex.Of(Calls.Words(1_700_000_000)), Hex.Of(reply.AsSpan(4 + 24)));
    }

    [Theory]
    [InlineData("127.0.0.1", 2049, "127.0.0.1.8.1")]
    [InlineData("0.0.0.0", 111, "0.0.0.0.0.111")]
    [InlineData("::1", 2049, "::1.8.1")]
    [InlineData("fe80::1", 65535, "fe80::1.255.255")]
    public void Universal_addresses_round_trip(string host, int port, string expected)
    {
        Assert.Equal(expected, UniversalAddress.Format(IPAddress.Parse(host), port));
        Assert.True(UniversalAddress.TryParse(expected, out IPEndPoint? ep));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(host), port), ep);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1.8")]
    [InlineData("127.0.0.1.256.1")]
    [InlineData("host.8.1")]
    [InlineData("127.0.0.1.-1.1")]
    public void Malformed_universal_addresses_are_refused(string text)
    {
        Assert.False(UniversalAddress.TryParse(text, out _));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class PortmapServer : IAsyncDisposable
    {
        private PortmapServer(RpcServer server, PortmapProgram program, PortmapClient client)
        {
            Server = server;
            Program = program;
            Client = client;
        }

        public RpcServer Server { get; }

        public PortmapProgram Program { get; }

        public PortmapRegistry Registry => Program.Registry;

        public PortmapClient Client { get; }

        // On a free port: port 111 belongs to the system (and rpcinfo talks only to it).
        public static async Task<PortmapServer> StartAsync()
        {
            var program = new PortmapProgram(new PortmapRegistry());
            var dispatcher = new RpcDispatcher(new DuplicateRequestCache());
            dispatcher.Register(program);
            var server = new RpcServer(new IPEndPoint(IPAddress.Loopback, 0), dispatcher);
            server.Start();
            PortmapClient client = await PortmapClient.ConnectAsync(server.LocalEndPoint, Calls.Sys(uid: 0));
            return new PortmapServer(server, program, client);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.StopAsync();
        }
    }
}
