using System.Buffers.Binary;
using Gateway.Smb.DceRpc;
using static Gateway.Smb.Tests.DceRpc.Pdus;

namespace Gateway.Smb.Tests.DceRpc;

public class FragmentTests
{
    private static NamedPipeEndpoint Bound(IReadOnlyList<ShareInfo>? shares = null, ushort frag = 4280)
    {
        NamedPipeEndpoint pipe = OpenSrvsvc(shares);
        pipe.Write(Bind(1, frag, frag, new Context(0, Srvsvc, 3, 0, (Ndr, 2))));
        Assert.Equal(12, Type(Single(pipe)));
        return pipe;
    }

    private static byte[] EnumStub => Convert.FromHexString(SmbclientShareEnum)[24..];

    [Fact]
    public void PdusSplitAndJoinedAcrossWritesAreReassembled()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        byte[] stream = [.. Convert.FromHexString(SmbclientBind), .. Convert.FromHexString(SmbclientShareEnum), .. Request(3, 0, 21, BindTests.ServerGetInfoStub(101))];
        foreach (byte b in stream)
        {
            pipe.Write([b]); // one byte per WRITE
        }

        List<byte[]> answers = ReadAll(pipe);
        Assert.Equal([12, 2, 2], answers.Select(Type));
        Assert.Equal([1u, 2u, 3u], answers.Select(CallId));
    }

    [Fact]
    public void MultiFragmentRequestIsReassembledBeforeDispatch()
    {
        NamedPipeEndpoint pipe = Bound();
        byte[] stub = EnumStub;
        // Fragments of 7 bytes of stub each: FIRST on the first, LAST on the last, nothing between.
        for (int at = 0; at < stub.Length; at += 7)
        {
            byte flags = (byte)((at == 0 ? 1 : 0) | (at + 7 >= stub.Length ? 2 : 0));
            pipe.Write(Request(2, 0, 15, stub.AsSpan(at, Math.Min(7, stub.Length - at)), flags));
            if ((flags & 2) == 0) Assert.False(pipe.HasOutput);
        }

        byte[] whole = ResponseStub(ReadAll(pipe), 2);
        NamedPipeEndpoint reference = Bound();
        reference.Write(Request(2, 0, 15, stub));
        Assert.Equal(ResponseStub(ReadAll(reference), 2), whole);
    }

    [Fact]
    public void MiddleFragmentWithoutAFirstIsAProtocolError()
    {
        NamedPipeEndpoint pipe = Bound();
        pipe.Write(Request(5, 0, 15, EnumStub, flags: 0x02));
        Assert.Equal(0x1C01000Bu, FaultStatus(Single(pipe)));

        // A new FIRST while another call is open: the open one is faulted, the new one proceeds.
        pipe.Write(Request(6, 0, 15, EnumStub.AsSpan(0, 10), flags: 0x01));
        pipe.Write(Request(7, 0, 15, EnumStub));
        List<byte[]> answers = ReadAll(pipe);
        Assert.Equal(6u, CallId(answers[0]));
        Assert.Equal(0x1C01000Bu, FaultStatus(answers[0]));
        Assert.Equal(2, Type(answers[1]));
        Assert.Equal(7u, CallId(answers[1]));
    }

    [Fact]
    public void OrphanedDropsTheOpenCall()
    {
        NamedPipeEndpoint pipe = Bound();
        pipe.Write(Request(6, 0, 15, EnumStub.AsSpan(0, 10), flags: 0x01));
        pipe.Write(WithHeader(19, 0x03, 6, []));
        Assert.False(pipe.HasOutput);
        pipe.Write(Request(6, 0, 15, EnumStub.AsSpan(10), flags: 0x02)); // the rest arrives after all
        Assert.Equal(0x1C01000Bu, FaultStatus(Single(pipe)));
    }

    [Fact]
    public void LargeAnswersAreCutAtTheNegotiatedFragmentSize()
    {
        var shares = Enumerable.Range(0, 300).Select(i => new ShareInfo($"s{i}", 0, new string('r', 40))).ToArray();
        NamedPipeEndpoint pipe = Bound(shares, frag: 2048);
        pipe.Write(Request(2, 0, 15, EnumStub));
        List<byte[]> fragments = ReadAll(pipe);
        Assert.True(fragments.Count > 5);
        Assert.All(fragments, f => Assert.True(f.Length <= 2048));
        Assert.All(fragments.SkipLast(1), f => Assert.Equal(2048, f.Length));
        byte[] stub = ResponseStub(fragments, 2);
        Assert.Equal(300u, BinaryPrimitives.ReadUInt32LittleEndian(stub.AsSpan(12)));
    }

    [Fact]
    public void ReadsAreMessageModeWithMoreFlag()
    {
        NamedPipeEndpoint pipe = Bound();
        pipe.Write(Request(2, 0, 15, EnumStub));
        pipe.Write(Request(3, 0, 21, BindTests.ServerGetInfoStub(100)));
        var small = new byte[50];
        int n = pipe.Read(small, out bool more);
        Assert.Equal(50, n);
        Assert.True(more);
        int fragLength = FragLength(small);
        int total = 50;
        while (more)
        {
            total += pipe.Read(small, out more);
        }

        Assert.Equal(fragLength, total);                         // the whole first PDU, then stop
        Assert.True(pipe.HasOutput);                            // the second answer waits for its own read
        var rest = new byte[4096];
        n = pipe.Read(rest, out more);
        Assert.False(more);
        Assert.Equal(3u, CallId(rest));
        Assert.Equal(n, FragLength(rest));
        Assert.False(pipe.HasOutput);
        Assert.Equal(0, pipe.Read(rest, out more));
        Assert.False(more);
    }

    [Fact]
    public void OversizedRequestIsRefusedWithoutBufferingItAll()
    {
        NamedPipeEndpoint pipe = Bound();
        var chunk = new byte[4000];
        int sent = 0;
        byte flags = 0x01;
        while (sent <= NamedPipeEndpoint.MaxRequestStub)
        {
            pipe.Write(Request(9, 0, 15, chunk, flags));
            sent += chunk.Length;
            flags = 0;
        }

        Assert.Equal(0x1C00001Bu, FaultStatus(Single(pipe)));
    }

    [Fact]
    public void LargestPossibleFragmentIsBuffered()
    {
        NamedPipeEndpoint pipe = Bound();
        var stub = new byte[ushort.MaxValue - 24];
        EnumStub.CopyTo(stub, 0); // trailing zeros after the arguments are ignored
        byte[] pdu = Request(2, 0, 15, stub);
        Assert.Equal(ushort.MaxValue, FragLength(pdu));
        pipe.Write(pdu.AsSpan(0, 1000));
        pipe.Write(pdu.AsSpan(1000, 30000));
        Assert.False(pipe.HasOutput);
        pipe.Write(pdu.AsSpan(31000));
        Assert.Equal(2, Type(Single(pipe)));
    }
}
