using System.Buffers;
using Gateway.Rpc.Tests.Support;

namespace Gateway.Rpc.Tests;

public class RpcMessageTests
{
    // NFS (100003) v3 NULL, AUTH_SYS stamp 0xa1b2 machine "host" uid 1000 gid 1000 gids [1000].
    private const string NullCallWithAuthSys =
        "80000044" +          // record mark: last fragment, 68 bytes
        "2a3b4c5d" +          // xid
        "00000000" +          // CALL
        "00000002" +          // rpcvers 2
        "000186a3" +          // prog 100003
        "00000003" +          // vers 3
        "00000000" +          // proc 0 (NULL)
        "00000001 0000001c" + // cred: AUTH_SYS, 28 bytes
        "0000a1b2" +          //   stamp
        "00000004 686f7374" + //   machinename "host"
        "000003e8 000003e8" + //   uid 1000, gid 1000
        "00000001 000003e8" + //   gids<16> = [1000]
        "00000000 00000000";  // verf: AUTH_NONE, 0 bytes

    private const string AcceptedNullReply =
        "80000018" +          // record mark: last fragment, 24 bytes
        "2a3b4c5d" +          // xid
        "00000001" +          // REPLY
        "00000000" +          // MSG_ACCEPTED
        "00000000 00000000" + // verf: AUTH_NONE, 0 bytes
        "00000000";           // SUCCESS (NULL has no results)

    private static readonly AuthSysParams HostCredential = new(0xa1b2, "host", 1000, 1000, [1000]);

    [Fact]
    public async Task Null_call_with_auth_sys_gets_the_exact_accepted_reply()
    {
        RpcDispatcher dispatcher = Embedded.Dispatcher(new NullOnlyProgram(100003, 3, 3));
        byte[] call = Hex.Bytes(NullCallWithAuthSys)[4..];

        byte[]? reply = await Embedded.DispatchAsync(dispatcher, call);

        Assert.Equal(Hex.Of(Hex.Bytes(AcceptedNullReply)), Hex.Of(reply));
    }

    [Fact]
    public void The_call_writer_produces_the_hand_assembled_bytes()
    {
        byte[] record = Calls.Record(0x2a3b4c5d, 100003, 3, 0, credential: HostCredential);
        Assert.Equal(Hex.Of(Hex.Bytes(NullCallWithAuthSys)), Hex.Of(record));
    }

    [Fact]
    public void The_call_reader_finds_every_header_field()
    {
        byte[] message = Calls.Message(7, 100005, 3, 1, Calls.Words(0xdead), HostCredential);

        RpcCallParseStatus status = RpcCall.TryRead(message, out RpcCall call);

        Assert.Equal(RpcCallParseStatus.Ok, status);
        Assert.Equal(7u, call.Xid);
        Assert.Equal(2u, call.RpcVersion);
        Assert.Equal(100005u, call.Program);
        Assert.Equal(3u, call.Version);
        Assert.Equal(1u, call.Procedure);
        Assert.Equal(AuthFlavor.AUTH_SYS, call.Credential.Flavor);
        Assert.Equal(AuthFlavor.AUTH_NONE, call.Verifier.Flavor);
        Assert.Equal("0000dead", Hex.Of(call.Arguments));
        Assert.Equal(message.Length - 4, call.ArgumentsOffset);

        AuthSysParams sys = AuthSysParams.Read(call.Credential.Body);
        Assert.Equal("host", sys.MachineName);
        Assert.Equal(1000u, sys.Uid);
        Assert.Equal([1000u], sys.Gids.ToArray());
    }

    [Theory]
    [InlineData("", RpcCallParseStatus.NoXid)]
    [InlineData("000000", RpcCallParseStatus.NoXid)]
    [InlineData("00000001", RpcCallParseStatus.NotACall)]
    [InlineData("00000001 00000001 00000000", RpcCallParseStatus.NotACall)]
    [InlineData("00000001 00000000 00000003", RpcCallParseStatus.RpcMismatch)]
    [InlineData("00000001 00000000 00000002 000186a3", RpcCallParseStatus.GarbageHeader)]
    [InlineData("00000001 00000000 00000002 000186a3 00000003 00000000 00000000", RpcCallParseStatus.BadCredential)]
    [InlineData("00000001 00000000 00000002 000186a3 00000003 00000000 00000000 00000191", RpcCallParseStatus.BadCredential)]
    [InlineData("00000001 00000000 00000002 000186a3 00000003 00000000 00000000 00000000 00000000", RpcCallParseStatus.BadVerifier)]
    public void Malformed_call_headers_get_a_status_saying_what_to_answer(string hex, RpcCallParseStatus expected)
    {
        Assert.Equal(expected, RpcCall.TryRead(Hex.Bytes(hex), out _));
    }

    [Fact]
    public void Accepted_error_replies_have_no_body_after_the_status()
    {
        Assert.Equal("00000009 00000001 00000000 0000000000000000 00000001".Replace(" ", ""),
            Write(w => RpcReply.WriteAccepted(ref w, 9, AcceptStat.PROG_UNAVAIL)));
        Assert.Equal("00000009 00000001 00000000 0000000000000000 00000004".Replace(" ", ""),
            Write(w => RpcReply.WriteAccepted(ref w, 9, AcceptStat.GARBAGE_ARGS)));
    }

    [Fact]
    public void Prog_mismatch_reply_carries_low_and_high()
    {
        Assert.Equal("00000009 00000001 00000000 0000000000000000 00000002 00000002 00000004".Replace(" ", ""),
            Write(w => RpcReply.WriteProgMismatch(ref w, 9, 2, 4)));
    }

    [Fact]
    public void Rpc_mismatch_reply_is_denied_with_versions_two_to_two()
    {
        Assert.Equal("00000009 00000001 00000001 00000000 00000002 00000002".Replace(" ", ""),
            Write(w => RpcReply.WriteRpcMismatch(ref w, 9)));
    }

    [Fact]
    public void Auth_error_reply_is_denied_with_the_auth_stat()
    {
        Assert.Equal("00000009 00000001 00000001 00000001 00000005".Replace(" ", ""),
            Write(w => RpcReply.WriteAuthError(ref w, 9, AuthStat.AUTH_TOOWEAK)));
    }

    [Fact]
    public void Reply_reader_decodes_what_the_reply_writer_wrote()
    {
        RpcReplyHeader mismatch = RpcReplyHeader.Read(Hex.Bytes(Write(w => RpcReply.WriteProgMismatch(ref w, 3, 1, 2))));
        Assert.Equal(AcceptStat.PROG_MISMATCH, mismatch.AcceptStat);
        Assert.Equal((1u, 2u), (mismatch.MismatchLow, mismatch.MismatchHigh));

        RpcReplyHeader denied = RpcReplyHeader.Read(Hex.Bytes(Write(w => RpcReply.WriteAuthError(ref w, 3, AuthStat.AUTH_BADCRED))));
        Assert.Equal(ReplyStat.MSG_DENIED, denied.ReplyStat);
        Assert.Equal(AuthStat.AUTH_BADCRED, denied.AuthStat);
    }

    [Fact]
    public void Auth_sys_parameters_round_trip_and_know_their_length()
    {
        var sys = new AuthSysParams(1, "a-rather-long-machine-name", 0, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new XdrWriter(buffer);
        sys.Write(ref writer);

        Assert.Equal(sys.BodyLength, buffer.WrittenCount);
        AuthSysParams back = AuthSysParams.Read(buffer.WrittenSpan);
        Assert.Equal(sys.MachineName, back.MachineName);
        Assert.Equal(sys.Gids.ToArray(), back.Gids.ToArray());
    }

    private delegate void WriteAction(XdrWriter writer);

    private static string Write(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new XdrWriter(buffer));
        return Hex.Of(buffer.WrittenSpan);
    }
}
