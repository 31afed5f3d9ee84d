using Gateway.Smb.DceRpc;
using static Gateway.Smb.Tests.DceRpc.Pdus;

namespace Gateway.Smb.Tests.DceRpc;

/// <summary>
/// A second, stricter opinion on our NDR: Samba's own generated marshalling (python3-samba) packs the
/// requests and unpacks our answers. Samba's unpack refuses trailing or missing bytes.
/// </summary>
public class SambaNdrTests
{
    private const string Prelude = """
        import sys, binascii, struct
        from samba.dcerpc import srvsvc, wkssvc

        call_id = [10]
        def call(r):
            stub = r.__ndr_pack_in__()
            call_id[0] += 1
            head = struct.pack('<BBBBIHHI', 5, 0, 0, 3, 0x10, 24 + len(stub), 0, call_id[0])
            print('W ' + binascii.hexlify(head + struct.pack('<IHH', len(stub), 0, r.opnum()) + stub).decode(), flush=True)
            print('R', flush=True)
            pdu = binascii.unhexlify(sys.stdin.readline().strip())
            assert pdu[2] == 2 and pdu[3] & 3 == 3, pdu[:4]
            r.__ndr_unpack_out__(pdu[24:])
            return r

        def res(r):
            # WERROR comes back as (code, name).
            return r.result[1] if isinstance(r.result, tuple) else str(r.result)

        """;

    private static List<string> Run(string pipeName, Guid iface, ushort major, string script)
    {
        NamedPipeEndpoint pipe = NamedPipeEndpoint.Open(pipeName, () => DefaultShares, "GATEWAY", "HOMEGROUP")!;
        pipe.Write(Bind(1, 4280, 4280, new Context(0, iface, major, 0, (Ndr, 2))));
        Assert.Equal(12, Type(Single(pipe)));
        return Python.Relay(Prelude + script, pipe);
    }

    [Fact]
    public void SrvsvcAnswersUnpackWithSamba()
    {
        const string script = """
            for level, ctr in ((0, srvsvc.NetShareCtr0()), (1, srvsvc.NetShareCtr1()), (2, srvsvc.NetShareCtr2()), (501, srvsvc.NetShareCtr501())):
                r = srvsvc.NetShareEnumAll()
                r.in_server_unc = '127.0.0.1'
                c = srvsvc.NetShareInfoCtr()
                c.level = level
                c.ctr = ctr
                r.in_info_ctr = c
                r.in_max_buffer = 0xffffffff
                r.in_resume_handle = 0
                call(r)
                names = ','.join(x.name for x in r.out_info_ctr.ctr.array)
                print('enum%d %s total=%d resume=%d %s' % (level, names, r.out_totalentries, r.out_resume_handle, res(r)))
            for level in (0, 1, 2, 501, 1005):
                r = srvsvc.NetShareGetInfo()
                r.in_server_unc = None
                r.in_share_name = 'DATA'
                r.in_level = level
                call(r)
                i = r.out_info
                detail = {0: lambda: i.name, 1: lambda: '%s|%s' % (i.name, i.comment), 2: lambda: '%s|%s|%s' % (i.name, i.comment, i.path),
                          501: lambda: '%s|%d' % (i.name, i.csc_policy), 1005: lambda: '%d' % i.dfs_flags}[level]()
                print('get%d %s %s' % (level, detail, res(r)))
            r = srvsvc.NetShareGetInfo()
            r.in_server_unc = None
            r.in_share_name = 'nosuch'
            r.in_level = 1
            call(r)
            print('missing %s' % res(r))
            for level in (100, 101):
                r = srvsvc.NetSrvGetInfo()
                r.in_server_unc = None
                r.in_level = level
                call(r)
                print('srv%d %d|%s %s' % (level, r.out_info.platform_id, r.out_info.server_name, res(r)))
            """;
        List<string> lines = Run("srvsvc", Srvsvc, 3, script);
        Assert.Equal(
            [
                "enum0 data,IPC$ total=2 resume=0 WERR_OK",
                "enum1 data,IPC$ total=2 resume=0 WERR_OK",
                "enum2 data,IPC$ total=2 resume=0 WERR_OK",
                "enum501 data,IPC$ total=2 resume=0 WERR_OK",
                "get0 data WERR_OK",
                "get1 data|Some data share WERR_OK",
                "get2 data|Some data share|C:\\data WERR_OK",
                "get501 data|0 WERR_OK",
                "get1005 0 WERR_OK",
                "missing WERR_NERR_NETNAMENOTFOUND",
                "srv100 500|GATEWAY WERR_OK",
                "srv101 500|GATEWAY WERR_OK",
            ],
            lines);
    }

    [Fact]
    public void WkssvcAnswersUnpackWithSamba()
    {
        const string script = """
            for level in (100, 101, 102):
                r = wkssvc.NetWkstaGetInfo()
                r.in_server_name = None
                r.in_level = level
                call(r)
                print('%d %s|%s|%d.%d %s' % (level, r.out_info.server_name, r.out_info.domain_name,
                      r.out_info.version_major, r.out_info.version_minor, res(r)))
            """;
        List<string> lines = Run("wkssvc", new Guid("6bffd098-a112-3610-9833-46c3f87e345a"), 1, script);
        Assert.Equal(["100 GATEWAY|HOMEGROUP|10.0 WERR_OK", "101 GATEWAY|HOMEGROUP|10.0 WERR_OK", "102 GATEWAY|HOMEGROUP|10.0 WERR_OK"], lines);
    }
}
