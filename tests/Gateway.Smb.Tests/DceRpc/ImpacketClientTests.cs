using Gateway.Smb.DceRpc;

namespace Gateway.Smb.Tests.DceRpc;

/// <summary>
/// impacket's own DCE/RPC client (rpcrt.DCERPC_v5 + srvs helpers) talking to the endpoint through a
/// relay transport: its BIND, its fragmented requests, our fragmented answers, its NDR decoder.
/// </summary>
public class ImpacketClientTests
{
    private const string Client = """
        import sys, binascii
        from impacket.dcerpc.v5 import transport, rpcrt, srvs
        from impacket.dcerpc.v5.rpcrt import DCERPCException
        from impacket.dcerpc.v5.dtypes import NULL

        class RelayTransport(transport.DCERPCTransport):
            def __init__(self):
                transport.DCERPCTransport.__init__(self, 'gateway', 0)
            def connect(self):
                return 1
            def disconnect(self):
                return 1
            def send(self, data, forceWriteAndx=0, forceRecv=0):
                print('W ' + binascii.hexlify(data).decode(), flush=True)
            def recv(self, forceRecv=0, count=0):
                print('R', flush=True)
                line = sys.stdin.readline().strip()
                if not line:
                    raise Exception('no answer from the pipe')
                return binascii.unhexlify(line)

        def s(v):
            return v[:-1] if v.endswith('\x00') else v

        dce = rpcrt.DCERPC_v5(RelayTransport())
        dce.set_max_fragment_size(FRAGMENT)
        dce.connect()
        dce.bind(srvs.MSRPC_UUID_SRVS)

        r = srvs.hNetrShareEnum(dce, 1)
        for e in r['InfoStruct']['ShareInfo']['Level1']['Buffer']:
            print('enum1 %s|%d|%s' % (s(e['shi1_netname']), e['shi1_type'], s(e['shi1_remark'])))
        print('enum1.total %d' % r['TotalEntries'])

        r = srvs.hNetrShareGetInfo(dce, 'Data\x00', 2)
        i = r['InfoStruct']['ShareInfo2']
        print('get2 %s|%d|%s|%s' % (s(i['shi2_netname']), i['shi2_type'], s(i['shi2_remark']), s(i['shi2_path'])))
        r = srvs.hNetrShareGetInfo(dce, 'IPC$\x00', 501)
        i = r['InfoStruct']['ShareInfo501']
        print('get501 %s|%d|%d' % (s(i['shi501_netname']), i['shi501_type'], i['shi501_flags']))
        r = srvs.hNetrShareGetInfo(dce, 'data\x00', 1005)
        print('get1005 %d' % r['InfoStruct']['ShareInfo1005']['shi1005_flags'])
        try:
            srvs.hNetrShareGetInfo(dce, 'nosuch\x00', 1)
            print('get.missing none')
        except DCERPCException as e:
            print('get.missing %d' % e.get_error_code())

        r = srvs.hNetrServerGetInfo(dce, 101)
        i = r['InfoStruct']['ServerInfo101']
        print('server101 %d|%s|%d.%d' % (i['sv101_platform_id'], s(i['sv101_name']), i['sv101_version_major'], i['sv101_version_minor']))
        r = srvs.hNetrServerGetInfo(dce, 100)
        print('server100 %s' % s(r['InfoStruct']['ServerInfo100']['sv100_name']))

        try:
            srvs.hNetrSessionEnum(dce, NULL, NULL, 10)
            print('sessionenum answered')
        except DCERPCException as e:
            print('sessionenum %s' % str(e).split()[0])

        r = srvs.hNetrShareEnum(dce, 0)
        print('enum0.count %d' % len(r['InfoStruct']['ShareInfo']['Level0']['Buffer']))
        """;

    private static List<string> RunClient(IReadOnlyList<ShareInfo> shares, int fragment)
    {
        NamedPipeEndpoint pipe = NamedPipeEndpoint.Open("srvsvc", () => shares, "GATEWAY")!;
        return Python.Relay(Client.Replace("FRAGMENT", fragment.ToString()), pipe);
    }

    [Fact]
    public void ImpacketClientConversation()
    {
        List<string> lines = RunClient(Pdus.DefaultShares, fragment: 4280);
        Assert.Equal(
            [
                "enum1 data|0|Some data share",
                "enum1 IPC$|2147483651|IPC Service",
                "enum1.total 2",
                "get2 data|0|Some data share|C:\\data",
                "get501 IPC$|2147483651|0",
                "get1005 0",
                "get.missing 2310",
                "server101 500|GATEWAY|10.0",
                "server100 GATEWAY",
                "sessionenum nca_s_op_rng_error",
                "enum0.count 2",
            ],
            lines);
    }

    // 152 shares make a ~15 KB answer: four or more RESPONSE fragments that impacket must reassemble;
    // a 64-byte request fragment size makes impacket split every request the other way.
    [Fact]
    public void FragmentedBothWays()
    {
        var shares = Enumerable.Range(0, 150)
            .Select(i => new ShareInfo($"share{i:D3}", ShareInfo.DiskTree, $"remark number {i} with some length to it"))
            .Append(new ShareInfo("data", ShareInfo.DiskTree, "Some data share"))
            .Append(new ShareInfo("IPC$", ShareInfo.Ipc, "IPC Service"))
            .ToArray();
        List<string> lines = RunClient(shares, fragment: 64);
        Assert.Equal(152, lines.Count(l => l.StartsWith("enum1 ", StringComparison.Ordinal)));
        Assert.Contains("enum1 share149|0|remark number 149 with some length to it", lines);
        Assert.Contains("enum1.total 152", lines);
        Assert.Contains("enum0.count 152", lines);
        Assert.Contains("get2 data|0|Some data share|C:\\data", lines);
        Assert.Contains("sessionenum nca_s_op_rng_error", lines);
    }

    [Fact]
    public void ImpacketWkssvcGetInfo()
    {
        string script = Client.Split("dce = rpcrt.DCERPC_v5")[0].Replace("from impacket.dcerpc.v5 import transport, rpcrt, srvs", "from impacket.dcerpc.v5 import transport, rpcrt, wkst") + """
            dce = rpcrt.DCERPC_v5(RelayTransport())
            dce.connect()
            dce.bind(wkst.MSRPC_UUID_WKST)
            for level in (100, 101, 102):
                r = wkst.hNetrWkstaGetInfo(dce, level)
                i = r['WkstaInfo']['WkstaInfo%d' % level]
                print('%d %d|%s|%s|%d.%d' % (level, i['wki%d_platform_id' % level], s(i['wki%d_computername' % level]),
                      s(i['wki%d_langroup' % level]), i['wki%d_ver_major' % level], i['wki%d_ver_minor' % level]))
            """;
        NamedPipeEndpoint pipe = NamedPipeEndpoint.Open("wkssvc", () => [], "GATEWAY", "WORKGROUP")!;
        List<string> lines = Python.Relay(script, pipe);
        Assert.Equal(["100 500|GATEWAY|WORKGROUP|10.0", "101 500|GATEWAY|WORKGROUP|10.0", "102 500|GATEWAY|WORKGROUP|10.0"], lines);
    }
}
