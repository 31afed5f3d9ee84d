using System.Buffers.Binary;
using Gateway.Smb.DceRpc;
using static Gateway.Smb.Tests.DceRpc.Pdus;

namespace Gateway.Smb.Tests.DceRpc;

public class SrvsvcTests
{
    // Decodes a NetrShareEnum response stub with impacket, insists every byte was consumed.
    private const string DecodeShareEnum = """
        import sys, binascii
        from impacket.dcerpc.v5 import srvs
        stub = binascii.unhexlify(sys.stdin.read().strip())
        r = srvs.NetrShareEnumResponse()
        used = r.fromString(stub)
        assert used == len(stub), (used, len(stub))
        level = r['InfoStruct']['Level']
        print('level=%d' % level)
        for e in r['InfoStruct']['ShareInfo']['Level%d' % level]['Buffer']:
            if level == 0:
                print('share=%s' % e['shi0_netname'][:-1])
            elif level == 1:
                print('share=%s|%d|%s' % (e['shi1_netname'][:-1], e['shi1_type'], e['shi1_remark'][:-1]))
            else:
                print('share=%s|%d|%s|%s|%d' % (e['shi2_netname'][:-1], e['shi2_type'], e['shi2_remark'][:-1], e['shi2_path'][:-1], e['shi2_max_uses']))
        print('total=%d' % r['TotalEntries'])
        print('resume=%d' % r['ResumeHandle'])
        print('error=%d' % r['ErrorCode'])
        """;

    private static NamedPipeEndpoint BoundPipe(IReadOnlyList<ShareInfo>? shares = null)
    {
        NamedPipeEndpoint pipe = OpenSrvsvc(shares);
        pipe.Write(Convert.FromHexString(SmbclientBind));
        Assert.Equal(12, Type(Single(pipe)));
        return pipe;
    }

    // The conversation smbclient -L has, replayed from its captured bytes; impacket decodes our answer.
    [Fact]
    public void SmbclientShareEnumAnswerDecodesWithImpacket()
    {
        NamedPipeEndpoint pipe = BoundPipe();
        pipe.Write(Convert.FromHexString(SmbclientShareEnum));
        List<byte[]> response = ReadAll(pipe);
        byte[] stub = ResponseStub(response, callId: 2);
        Assert.Single(response);

        string output = Python.Run(DecodeShareEnum, Convert.ToHexString(stub));
        Assert.Equal(
            "level=1\nshare=data|0|Some data share\nshare=IPC$|2147483651|IPC Service\ntotal=2\nresume=0\nerror=0\n",
            output);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    public void OtherEnumLevelsDecodeWithImpacket(uint level)
    {
        NamedPipeEndpoint pipe = BoundPipe();
        byte[] request = Convert.FromHexString(SmbclientShareEnum);
        // Level and union discriminant sit at stub offsets 36 and 40 (after the server name string).
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(24 + 36), level);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(24 + 40), level);
        pipe.Write(request);
        string output = Python.Run(DecodeShareEnum, Convert.ToHexString(ResponseStub(ReadAll(pipe), 2)));
        string expected = level == 0
            ? "level=0\nshare=data\nshare=IPC$\n"
            : "level=2\nshare=data|0|Some data share|C:\\data|4294967295\nshare=IPC$|2147483651|IPC Service||4294967295\n";
        Assert.Equal(expected + "total=2\nresume=0\nerror=0\n", output);
    }

    [Fact]
    public void ShareEnumAnswerMatchesSmbdsLayout()
    {
        // Byte for byte what smbd 4.17 answered to the same request, with our remark for IPC$.
        NamedPipeEndpoint pipe = BoundPipe();
        pipe.Write(Convert.FromHexString(SmbclientShareEnum));
        byte[] stub = ResponseStub(ReadAll(pipe), 2);
        string expected =
            "01000000" + "01000000" + "00000200" + "02000000" + "04000200" + "02000000" +
            "08000200" + "00000000" + "0C000200" + "10000200" + "03000080" + "14000200" +
            Str("data") + "0000" + Str("Some data share") + Str("IPC$") + "0000" + Str("IPC Service") +
            "02000000" + "18000200" + "00000000" + "00000000";
        Assert.Equal(expected, Convert.ToHexString(stub));
    }

    // A conformant varying string: max_count, offset 0, actual_count, UTF-16 with its NUL.
    private static string Str(string s)
    {
        string count = Convert.ToHexString(BitConverter.GetBytes((uint)s.Length + 1));
        return count + "00000000" + count + Convert.ToHexString(System.Text.Encoding.Unicode.GetBytes(s + "\0"));
    }

    [Fact]
    public void UnknownOpnumFaultsWithOpRangeError()
    {
        NamedPipeEndpoint pipe = BoundPipe();
        pipe.Write(Request(7, 0, 12 /* NetrSessionEnum */, new byte[64]));
        byte[] fault = Single(pipe);
        Assert.Equal(7u, CallId(fault));
        Assert.Equal(0x1C010002u, FaultStatus(fault));
    }

    [Fact]
    public void TruncatedStubFaultsWithBadStubData()
    {
        NamedPipeEndpoint pipe = BoundPipe();
        byte[] stub = Convert.FromHexString(SmbclientShareEnum)[24..];
        for (int len = 0; len < stub.Length - 12; len++)
        {
            pipe.Write(Request((uint)(100 + len), 0, 15, stub.AsSpan(0, len)));
            byte[] answer = Single(pipe);
            Assert.Equal((uint)(100 + len), CallId(answer));
            Assert.Equal(0x000006F7u, FaultStatus(answer));
        }
    }
}
