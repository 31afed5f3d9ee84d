using System.Net;
using System.Net.Sockets;
using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class RpcServerTests
{
    private const uint T = TestProgram.Number;

    [Fact]
    public async Task Binding_port_zero_exposes_the_port_it_got()
    {
        await using ServerFixture f = ServerFixture.Start();
        Assert.InRange(f.Port, 1, 65535);
        Assert.Equal(IPAddress.Loopback, f.Server.LocalEndPoint.Address);
    }

    [Fact]
    public async Task A_fast_call_sent_after_a_slow_one_on_the_same_connection_is_answered_first()
    {
        await using ServerFixture f = ServerFixture.Start();
        await using RawRpcClient client = await f.ConnectAsync();

        // Both records in one write: the server sees them in this order.
        await client.SendAsync([.. Calls.Record(1, T, 1, TestProgram.SLOW, Calls.Words(111)),
                                .. Calls.Record(2, T, 1, TestProgram.FAST, Calls.Words(222))]);

        Reply first = Reply.Parse(await client.ReadReplyAsync());
        Reply second = Reply.Parse(await client.ReadReplyAsync());
        Assert.Equal(2u, first.Xid);
        Assert.Equal(Calls.Words(222), first.ResultBytes);
        Assert.Equal(1u, second.Xid);
        Assert.Equal(Calls.Words(111), second.ResultBytes);
    }

    [Fact]
    public async Task Many_pipelined_calls_on_one_connection_each_get_exactly_one_reply()
    {
        await using ServerFixture f = ServerFixture.Start(new TestProgram { SlowDelay = TimeSpan.FromMilliseconds(20) });
        await using RawRpcClient client = await f.ConnectAsync();
        const int Count = 300;
        var wire = new List<byte>();
        for (uint xid = 1; xid <= Count; xid++)
        {
            wire.AddRange(Calls.Record(xid, T, 2, xid % 3 == 0 ? TestProgram.SLOW : TestProgram.FAST, Calls.Words(xid * 7)));
        }

        await client.SendAsync([.. wire]);

        var seen = new HashSet<uint>();
        for (int i = 0; i < Count; i++)
        {
            Reply reply = Reply.Parse(await client.ReadReplyAsync());
            Assert.True(seen.Add(reply.Xid), $"xid {reply.Xid} answered twice");
            Assert.Equal(Calls.Words(reply.Xid * 7), reply.ResultBytes);
        }

        Assert.Equal(Count, seen.Count);
    }

    [Fact]
    public async Task An_unknown_program_gets_prog_unavail()
    {
        Reply reply = await CallOnceAsync(Calls.Record(10, 100099, 1, 0));
        Assert.Equal(ReplyStat.MSG_ACCEPTED, reply.ReplyStat);
        Assert.Equal(AcceptStat.PROG_UNAVAIL, reply.AcceptStat);
    }

    [Fact]
    public async Task A_version_out_of_range_gets_prog_mismatch_with_the_supported_range()
    {
        Reply reply = await CallOnceAsync(Calls.Record(11, T, 3, 0));
        Assert.Equal(AcceptStat.PROG_MISMATCH, reply.AcceptStat);
        Assert.Equal((1u, 2u), (reply.MismatchLow, reply.MismatchHigh));
    }

    [Fact]
    public async Task An_unknown_procedure_gets_proc_unavail()
    {
        Reply reply = await CallOnceAsync(Calls.Record(12, T, 1, 99));
        Assert.Equal(AcceptStat.PROC_UNAVAIL, reply.AcceptStat);
    }

    [Fact]
    public async Task Arguments_that_do_not_decode_get_garbage_args()
    {
        Reply reply = await CallOnceAsync(Calls.Record(13, T, 1, TestProgram.ADD, Calls.Words(1)));
        Assert.Equal(AcceptStat.GARBAGE_ARGS, reply.AcceptStat);
    }

    [Fact]
    public async Task An_rpc_version_other_than_two_gets_rpc_mismatch()
    {
        byte[] message = Calls.Message(14, T, 1, 0);
        message[11] = 3; // rpcvers = 3
        Reply reply = await CallOnceAsync(Calls.Record(message));
        Assert.Equal(ReplyStat.MSG_DENIED, reply.ReplyStat);
        Assert.Equal(RejectStat.RPC_MISMATCH, reply.RejectStat);
        Assert.Equal((2u, 2u), (reply.MismatchLow, reply.MismatchHigh));
    }

    [Fact]
    public async Task A_handler_that_throws_gets_system_err_and_the_connection_stays_up()
    {
        await using ServerFixture f = ServerFixture.Start();
        await using RawRpcClient client = await f.ConnectAsync();

        await client.SendAsync(Calls.Record(20, T, 1, TestProgram.THROW));
        Assert.Equal(AcceptStat.SYSTEM_ERR, Reply.Parse(await client.ReadReplyAsync()).AcceptStat);

        await client.SendAsync(Calls.Record(21, T, 1, TestProgram.ADD, Calls.Words(2, 3)));
        Reply reply = Reply.Parse(await client.ReadReplyAsync());
        Assert.Equal(Calls.Words(5), reply.ResultBytes);
        Assert.Contains(f.Log, line => line.Contains("SYSTEM_ERR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retransmitted_non_idempotent_call_gets_the_same_reply_bytes_without_executing_again()
    {
        await using ServerFixture f = ServerFixture.Start();
        byte[] call = Calls.Record(500, T, 1, TestProgram.COUNTED, Calls.Words(0));

        await using RawRpcClient client = await f.ConnectAsync();
        await client.SendAsync(call);
        byte[] original = await client.ReadReplyAsync();
        await client.SendAsync(call);
        byte[] retransmitted = await client.ReadReplyAsync();

        // Linux clients retransmit over TCP after reconnecting: a new connection, same address.
        await using RawRpcClient reconnected = await f.ConnectAsync();
        await reconnected.SendAsync(call);
        byte[] afterReconnect = await reconnected.ReadReplyAsync();

        Assert.Equal(1, f.Program.CountedExecutions);
        Assert.Equal(Hex.Of(original), Hex.Of(retransmitted));
        Assert.Equal(Hex.Of(original), Hex.Of(afterReconnect));
    }

    [Fact]
    public async Task A_retransmission_while_the_first_call_runs_waits_for_its_reply()
    {
        await using ServerFixture f = ServerFixture.Start();
        byte[] call = Calls.Record(501, T, 1, TestProgram.COUNTED, Calls.Words(300));

        await using RawRpcClient first = await f.ConnectAsync();
        await using RawRpcClient second = await f.ConnectAsync();
        await first.SendAsync(call);
        await Task.Delay(50);
        await second.SendAsync(call);

        byte[] a = await first.ReadReplyAsync();
        byte[] b = await second.ReadReplyAsync();
        Assert.Equal(1, f.Program.CountedExecutions);
        Assert.Equal(Hex.Of(a), Hex.Of(b));
        Assert.Equal(Calls.Words(1), Reply.Parse(a).ResultBytes);
    }

    [Fact]
    public async Task Idempotent_procedures_are_not_cached()
    {
        await using ServerFixture f = ServerFixture.Start();
        await using RawRpcClient client = await f.ConnectAsync();
        byte[] call = Calls.Record(502, T, 1, TestProgram.FAST, Calls.Words(1));
        await client.SendAsync([.. call, .. call]);
        await client.ReadReplyAsync();
        await client.ReadReplyAsync();
        Assert.Equal(0, f.Server.Dispatcher.DuplicateRequestCache!.Count);
    }

    [Theory]
    [InlineData("ffffffff")]
    [InlineData("80200000")]
    public async Task An_oversized_record_closes_only_its_own_connection(string header)
    {
        await using ServerFixture f = ServerFixture.Start(options: new RpcServerOptions { MaxRecordSize = 1024 * 1024 });
        await using RawRpcClient bad = await f.ConnectAsync();
        await using RawRpcClient good = await f.ConnectAsync();

        await bad.SendAsync(Hex.Bytes(header));

        Assert.True(await bad.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await good.SendAsync(Calls.Record(30, T, 1, TestProgram.FAST, Calls.Words(9)));
        Assert.Equal(Calls.Words(9), Reply.Parse(await good.ReadReplyAsync()).ResultBytes);
    }

    [Fact]
    public async Task A_client_that_half_closes_still_gets_the_replies_of_its_calls()
    {
        await using ServerFixture f = ServerFixture.Start();
        await using RawRpcClient client = await f.ConnectAsync();
        await client.SendAsync(Calls.Record(40, T, 1, TestProgram.SLOW, Calls.Words(4)));
        client.ShutdownSend();

        Assert.Equal(40u, Reply.Parse(await client.ReadReplyAsync()).Xid);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stop_lets_calls_in_flight_reply_then_closes_every_connection_and_the_listener()
    {
        ServerFixture f = ServerFixture.Start();
        int port = f.Port;
        await using RawRpcClient busy = await f.ConnectAsync();
        await using RawRpcClient idle = await f.ConnectAsync();
        await busy.SendAsync(Calls.Record(50, T, 1, TestProgram.SLOW, Calls.Words(5)));
        await Task.Delay(100);

        await f.Server.StopAsync();

        Assert.Equal(0, f.Server.ConnectionCount);
        Assert.Equal(50u, Reply.Parse(await busy.ReadReplyAsync()).Xid);
        Assert.True(await busy.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await idle.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAnyAsync<SocketException>(() => RawRpcClient.ConnectAsync(port));
    }

    [Fact]
    public async Task Connections_above_the_limit_are_closed_at_once()
    {
        await using ServerFixture f = ServerFixture.Start(options: new RpcServerOptions { MaxConnections = 1 });
        await using RawRpcClient first = await f.ConnectAsync();
        await first.SendAsync(Calls.Record(60, T, 1, 0));
        await first.ReadReplyAsync();

        await using RawRpcClient second = await f.ConnectAsync();
        Assert.True(await second.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_connection_runs_over_an_in_memory_duplex_pipe()
    {
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(new TestProgram());
        (DuplexPipe server, DuplexPipe client) = DuplexPipe.CreatePair();
        var connection = new RpcConnection(server, dispatcher, Embedded.Connection());
        Task run = connection.RunAsync();

        await client.Output.WriteAsync(Calls.Record(70, T, 1, TestProgram.ADD, Calls.Words(20, 22)));
        System.IO.Pipelines.ReadResult read;
        System.Buffers.ReadOnlySequence<byte> buffer;
        PooledRecord record;
        while (true)
        {
            read = await client.Input.ReadAsync();
            buffer = read.Buffer;
            if (RecordMarking.TryReadRecord(ref buffer, 4096, out record))
            {
                client.Input.AdvanceTo(buffer.Start);
                break;
            }

            client.Input.AdvanceTo(buffer.Start, buffer.End);
        }

        using (record)
        {
            Assert.Equal(Calls.Words(42), Reply.Parse(record.Span).ResultBytes);
        }

        await client.Output.CompleteAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<Reply> CallOnceAsync(byte[] record)
    {
        await using ServerFixture f = ServerFixture.Start();
        await using RawRpcClient client = await f.ConnectAsync();
        await client.SendAsync(record);
        return Reply.Parse(await client.ReadReplyAsync());
    }
}
