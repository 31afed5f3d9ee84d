using System.Buffers;
using System.Collections.Concurrent;
using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class DispatcherTests
{
    private readonly TestProgram _program = new();

    [Fact]
    public async Task A_procedure_gets_its_arguments_and_its_results_follow_the_header()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Reply reply = await CallAsync(dispatcher, Calls.Message(1, TestProgram.Number, 1, TestProgram.ADD, Calls.Words(40, 2)));
        Assert.True(reply.IsSuccess);
        Assert.Equal("0000002a", Hex.Of(reply.Results));
    }

    [Fact]
    public async Task Auth_sys_credential_reaches_the_handler()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Reply reply = await CallAsync(dispatcher,
            Calls.Message(1, TestProgram.Number, 1, TestProgram.WHOAMI, credential: Calls.Sys(uid: 4242)));
        Assert.Equal(Hex.Of(Calls.Words(4242)), Hex.Of(reply.Results));
    }

    [Fact]
    public async Task A_procedure_that_needs_a_credential_refuses_auth_none_as_too_weak()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Reply reply = await CallAsync(dispatcher, Calls.Message(1, TestProgram.Number, 1, TestProgram.WHOAMI));
        Assert.Equal(RejectStat.AUTH_ERROR, reply.RejectStat);
        Assert.Equal(AuthStat.AUTH_TOOWEAK, reply.AuthStat);
    }

    public static TheoryData<string, string, AuthStat> BadAuth => new()
    {
        // cred flavor, cred body, verf → expected auth_stat
        { "AUTH_NONE with a body", "00000000 00000004 00000001  00000000 00000000", AuthStat.AUTH_BADCRED },
        { "RPCSEC_GSS (not yet supported)", "00000006 00000004 00000001  00000000 00000000", AuthStat.AUTH_BADCRED },
        { "unknown flavor 99", "00000063 00000000  00000000 00000000", AuthStat.AUTH_BADCRED },
        { "AUTH_SYS cut short", "00000001 00000004 00000001  00000000 00000000", AuthStat.AUTH_BADCRED },
        { "AUTH_SYS with 17 gids", "00000001 00000054 00000000 00000000 00000000 00000000 00000011" + Gids(17) + " 00000000 00000000", AuthStat.AUTH_BADCRED },
        { "AUTH_SYS with a trailing word", "00000001 00000018 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000", AuthStat.AUTH_BADCRED },
        { "AUTH_SYS with an AUTH_SYS verifier", "00000001 00000014 00000000 00000000 00000000 00000000 00000000  00000001 00000000", AuthStat.AUTH_BADVERF },
        { "cred body above 400 bytes", "00000001 00000194" + Zeros(0x194) + " 00000000 00000000", AuthStat.AUTH_BADCRED },
    };

    [Theory]
    [MemberData(nameof(BadAuth))]
    public async Task Bad_credentials_and_verifiers_are_denied_with_auth_error(string what, string authHex, AuthStat expected)
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        byte[] message = [.. Calls.Words(5, 0, 2, TestProgram.Number, 1, TestProgram.FAST), .. Hex.Bytes(authHex), .. Calls.Words(1)];

        Reply reply = await CallAsync(dispatcher, message);

        Assert.True(reply.ReplyStat == ReplyStat.MSG_DENIED, what);
        Assert.Equal(RejectStat.AUTH_ERROR, reply.RejectStat);
        Assert.Equal(expected, reply.AuthStat);
        Assert.Equal(5u, reply.Xid);
    }

    [Fact]
    public async Task Records_that_are_not_calls_get_no_reply()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Assert.Null(await Embedded.DispatchAsync(dispatcher, []));
        Assert.Null(await Embedded.DispatchAsync(dispatcher, Hex.Bytes("0102")));
        Assert.Null(await Embedded.DispatchAsync(dispatcher, Calls.Words(1, (uint)MsgType.REPLY, 0, 0, 0, 0)));
    }

    [Fact]
    public async Task A_header_cut_short_after_rpcvers_is_garbage_args()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Reply reply = await CallAsync(dispatcher, Calls.Words(77, 0, 2, TestProgram.Number));
        Assert.Equal(AcceptStat.GARBAGE_ARGS, reply.AcceptStat);
        Assert.Equal(77u, reply.Xid);
    }

    [Fact]
    public async Task A_handler_exception_is_system_err_and_logged()
    {
        var log = new ConcurrentQueue<string>();
        var dispatcher = new RpcDispatcher(log: log.Enqueue);
        dispatcher.Register(_program);

        Reply reply = await CallAsync(dispatcher, Calls.Message(3, TestProgram.Number, 1, TestProgram.THROW));

        Assert.Equal(AcceptStat.SYSTEM_ERR, reply.AcceptStat);
        Assert.Contains(log, line => line.Contains("THROW", StringComparison.Ordinal) && line.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_written_before_a_failure_are_discarded()
    {
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(new FailingAfterWriteProgram());
        byte[]? record = await Embedded.DispatchAsync(dispatcher, Calls.Message(3, 0x2000_0002, 1, 1));
        Assert.Equal(Hex.Of(Hex.Bytes("80000018 00000003 00000001 00000000 00000000 00000000 00000004")), Hex.Of(record));
    }

    [Fact]
    public async Task The_duplicate_request_cache_is_keyed_by_client_and_arguments_too()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        byte[] first = Calls.Message(99, TestProgram.Number, 1, TestProgram.COUNTED, Calls.Words(0));
        byte[] otherArgs = Calls.Message(99, TestProgram.Number, 1, TestProgram.COUNTED, Calls.Words(1));

        byte[]? a = await Embedded.DispatchAsync(dispatcher, first);
        byte[]? again = await Embedded.DispatchAsync(dispatcher, first);
        Assert.Equal(1, _program.CountedExecutions);
        Assert.Equal(a, again);

        await Embedded.DispatchAsync(dispatcher, otherArgs);
        Assert.Equal(2, _program.CountedExecutions);
        await Embedded.DispatchAsync(dispatcher, first, Embedded.Connection("127.0.0.2"));
        Assert.Equal(3, _program.CountedExecutions);
    }

    [Fact]
    public void Registering_the_same_program_twice_is_refused()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(_program);
        Assert.Throws<InvalidOperationException>(() => dispatcher.Register(new TestProgram()));
    }

    [Fact]
    public void A_descriptor_table_refuses_two_rows_for_one_procedure()
    {
        Assert.Throws<ArgumentException>(() => ProcedureDescriptor.Table(ProcedureDescriptor.Null(), ProcedureDescriptor.Null("AGAIN")));
    }

    private static async Task<Reply> CallAsync(RpcDispatcher dispatcher, byte[] message)
    {
        byte[]? record = await Embedded.DispatchAsync(dispatcher, message);
        Assert.NotNull(record);
        return ParseRecord(record);
    }

    private static Reply ParseRecord(byte[] record) => Reply.Parse(record.AsSpan(4));

    private static string Gids(int count) => string.Concat(Enumerable.Repeat(" 00000000", count));

    private static string Zeros(int count) => new('0', count * 2);

    private sealed class FailingAfterWriteProgram : IRpcProgram
    {
        private readonly ProcedureDescriptor?[] _table = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null(),
            new(1, "HALF", static (_, _, results) =>
            {
                var writer = new XdrWriter(results);
                writer.WriteUInt32(0xdeadbeef);
                throw new XdrException("decoded too late");
            }));

        public uint Program => 0x2000_0002;

        public uint MinVersion => 1;

        public uint MaxVersion => 1;

        public string Name => "half";

        public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => _table;
    }
}
