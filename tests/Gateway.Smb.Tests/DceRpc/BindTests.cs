using System.Buffers.Binary;
using System.Text;
using Gateway.Smb.DceRpc;
using static Gateway.Smb.Tests.DceRpc.Pdus;

namespace Gateway.Smb.Tests.DceRpc;

public class BindTests
{
    private record struct Result(ushort Code, ushort Reason, Guid Transfer, uint TransferVersion);

    private static (ushort MaxXmit, ushort MaxRecv, uint Assoc, string Address, List<Result> Results) ParseAck(byte[] pdu, byte type = 12)
    {
        Assert.Equal(type, Type(pdu));
        Assert.Equal(3, Flags(pdu));
        Assert.Equal(pdu.Length, FragLength(pdu));
        Assert.Equal(0x10, pdu[4]);
        ushort xmit = BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(16));
        ushort recv = BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(18));
        uint assoc = BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(20));
        int addressLength = BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(24));
        string address = addressLength == 0 ? "" : Encoding.ASCII.GetString(pdu, 26, addressLength);
        int at = (26 + addressLength + 3) & ~3;
        int count = pdu[at];
        at += 4;
        var results = new List<Result>();
        for (int i = 0; i < count; i++)
        {
            results.Add(new Result(
                BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(at)),
                BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(at + 2)),
                new Guid(pdu.AsSpan(at + 4, 16)),
                BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(at + 20))));
            at += 24;
        }

        Assert.Equal(pdu.Length, at);
        return (xmit, recv, assoc, address, results);
    }

    [Fact]
    public void SmbclientBindIsAccepted()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Convert.FromHexString(SmbclientBind));
        byte[] ack = Single(pipe);
        Assert.Equal(1u, CallId(ack));
        var (xmit, recv, assoc, address, results) = ParseAck(ack);
        Assert.Equal((4280, 4280), (xmit, recv));
        Assert.NotEqual(0u, assoc);
        Assert.Equal("\\PIPE\\srvsvc\0", address);
        Assert.Equal([new Result(0, 0, Ndr, 2)], results);
        // smbd 4.17's answer to the same BIND, with our association group and "\PIPE\" spelled as Windows does.
        byte[] samba = Convert.FromHexString(
            "05000c03100000004400000001000000b810b810836a00000d005c706970655c73727673766300000100000000000000" +
            "045d888aeb1cc9119fe808002b10486002000000");
        BinaryPrimitives.WriteUInt32LittleEndian(samba.AsSpan(20), assoc);
        Encoding.ASCII.GetBytes("\\PIPE\\").CopyTo(samba, 26);
        Assert.Equal(Convert.ToHexString(samba), Convert.ToHexString(ack));
    }

    // What Windows sends: NDR, NDR64 and a bind-time feature negotiation context, all for srvsvc.
    [Fact]
    public void WindowsStyleThreeContextBind()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Bind(2, 5840, 5840,
            new Context(0, Srvsvc, 3, 0, (Ndr, 2)),
            new Context(1, Srvsvc, 3, 0, (Ndr64, 1)),
            new Context(2, Srvsvc, 3, 0, (BindTimeFeatures, 1))));
        var (xmit, recv, _, _, results) = ParseAck(Single(pipe));
        Assert.Equal((4280, 4280), (xmit, recv));
        Assert.Equal(
            [
                new Result(0, 0, Ndr, 2),
                new Result(2, 2, Guid.Empty, 0),       // provider rejection: transfer syntaxes not supported
                new Result(3, 0x2, Guid.Empty, 0),     // negotiate ack: keep connection on orphan
            ],
            results);
    }

    [Fact]
    public void UnknownInterfaceIsAProviderRejection()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        var lsarpc = new Guid("12345778-1234-abcd-ef00-0123456789ab");
        pipe.Write(Bind(3, 4280, 4280, new Context(0, lsarpc, 0, 0, (Ndr, 2))));
        var (_, _, _, _, results) = ParseAck(Single(pipe));
        Assert.Equal([new Result(2, 1, Guid.Empty, 0)], results);
        // No context was accepted: a request on context 0 faults with nca_s_unk_if.
        pipe.Write(Request(4, 0, 15, new byte[32]));
        Assert.Equal(0x1C010003u, FaultStatus(Single(pipe)));
    }

    [Fact]
    public void SmallFragmentSizesAreRaisedTo2048AndCutToEightBytes()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Bind(1, 1000, 3001, new Context(0, Srvsvc, 3, 0, (Ndr, 2))));
        Assert.Equal(2048, ParseAck(Single(pipe)).MaxXmit);

        NamedPipeEndpoint other = OpenSrvsvc();
        other.Write(Bind(1, 3003, 4000, new Context(0, Srvsvc, 3, 0, (Ndr, 2))));
        Assert.Equal(3000, ParseAck(Single(other)).MaxXmit);
    }

    [Fact]
    public void BigEndianOrWrongVersionGetsABindNak()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        byte[] bind = Convert.FromHexString(SmbclientBind);
        byte[] bigEndian = (byte[])bind.Clone();
        bigEndian[4] = 0x00;
        (bigEndian[8], bigEndian[9]) = (bind[9], bind[8]);
        (bigEndian[12], bigEndian[13], bigEndian[14], bigEndian[15]) = (bind[15], bind[14], bind[13], bind[12]);
        pipe.Write(bigEndian);
        byte[] nak = Single(pipe);
        Assert.Equal(13, Type(nak));
        Assert.Equal(1u, CallId(nak));

        byte[] v6 = (byte[])bind.Clone();
        v6[1] = 7; // 5.7
        pipe.Write(v6);
        nak = Single(pipe);
        Assert.Equal(13, Type(nak));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(nak.AsSpan(16))); // protocol version not supported
        Assert.Equal([1, 5, 0], nak[18..21]);

        // Neither nak bound the pipe: the real BIND still works.
        pipe.Write(bind);
        Assert.Equal(12, Type(Single(pipe)));
    }

    [Fact]
    public void AlterContextAddsAContext()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Convert.FromHexString(SmbclientBind));
        ParseAck(Single(pipe));
        pipe.Write(AlterContext(2, new Context(5, Srvsvc, 3, 0, (Ndr64, 1), (Ndr, 2))));
        var (_, _, _, address, results) = ParseAck(Single(pipe), type: 15);
        Assert.Equal("", address);
        Assert.Equal([new Result(0, 0, Ndr, 2)], results);
        pipe.Write(Request(3, 5, 21, ServerGetInfoStub(100)));
        Assert.Equal(2, Type(Single(pipe)));
    }

    [Fact]
    public void RequestBeforeBindAndSecondBindAreProtocolErrors()
    {
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Request(9, 0, 21, ServerGetInfoStub(100)));
        byte[] fault = Single(pipe);
        Assert.Equal(9u, CallId(fault));
        Assert.Equal(0x1C01000Bu, FaultStatus(fault));
        Assert.Equal(0x23, Flags(fault)); // first | last | did-not-execute

        pipe.Write(Convert.FromHexString(SmbclientBind));
        Assert.Equal(12, Type(Single(pipe)));
        pipe.Write(Convert.FromHexString(SmbclientBind));
        Assert.Equal(13, Type(Single(pipe)));
    }

    [Fact]
    public void OnlySrvsvcAndWkssvcExist()
    {
        Assert.NotNull(NamedPipeEndpoint.Open("wkssvc", () => [], "X"));
        Assert.NotNull(NamedPipeEndpoint.Open("SRVSVC", () => [], "X"));
        Assert.NotNull(NamedPipeEndpoint.Open("\\PIPE\\srvsvc", () => [], "X"));
        Assert.Null(NamedPipeEndpoint.Open("lsarpc", () => [], "X"));
        Assert.Null(NamedPipeEndpoint.Open("", () => [], "X"));
    }

    // NetrServerGetInfo: ServerName null unique pointer, Level.
    internal static byte[] ServerGetInfoStub(uint level)
    {
        var stub = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(stub.AsSpan(4), level);
        return stub;
    }
}
