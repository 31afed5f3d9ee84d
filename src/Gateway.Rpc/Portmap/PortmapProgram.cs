using System.Buffers;
using System.Net;
using static Gateway.Rpc.Portmap.PortmapConstants;

namespace Gateway.Rpc.Portmap;

// Program 100000: the port mapper v2 and rpcbind v3/v4 (RFC 1833) over an in-memory
// PortmapRegistry, so the gateway can answer on port 111 itself when no system rpcbind
// runs. CALLIT/BCAST/INDIRECT (remote calls through us: an amplification tool),
// UADDR2TADDR/TADDR2UADDR, GETADDRLIST and GETSTAT are left out: PROC_UNAVAIL.
// SET and UNSET are accepted only from loopback callers and refused with AUTH_ERROR
// AUTH_TOOWEAK otherwise, as rpcbind's check_access/svcerr_weakauth do.
public sealed class PortmapProgram : IRpcProgram
{
    private readonly PortmapRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ProcedureDescriptor?[] _v2;
    private readonly ProcedureDescriptor?[] _v3;
    private readonly ProcedureDescriptor?[] _v4;

    public PortmapProgram(PortmapRegistry registry, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _time = timeProvider ?? TimeProvider.System;
        const ProcedureFlags Change = ProcedureFlags.NonIdempotent | ProcedureFlags.MakesWrite;
        _v2 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null("PMAPPROC_NULL"),
            new(PMAPPROC_SET, "PMAPPROC_SET", PmapSetAsync, Change),
            new(PMAPPROC_UNSET, "PMAPPROC_UNSET", PmapUnsetAsync, Change),
            new(PMAPPROC_GETPORT, "PMAPPROC_GETPORT", PmapGetPortAsync),
            new(PMAPPROC_DUMP, "PMAPPROC_DUMP", PmapDumpAsync));
        _v3 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null("RPCBPROC_NULL"),
            new(RPCBPROC_SET, "RPCBPROC_SET", RpcbSetAsync, Change),
            new(RPCBPROC_UNSET, "RPCBPROC_UNSET", RpcbUnsetAsync, Change),
            new(RPCBPROC_GETADDR, "RPCBPROC_GETADDR", RpcbGetAddrAnyVersionAsync),
            new(RPCBPROC_DUMP, "RPCBPROC_DUMP", RpcbDumpAsync),
            new(RPCBPROC_GETTIME, "RPCBPROC_GETTIME", RpcbGetTimeAsync));
        _v4 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null("RPCBPROC_NULL"),
            new(RPCBPROC_SET, "RPCBPROC_SET", RpcbSetAsync, Change),
            new(RPCBPROC_UNSET, "RPCBPROC_UNSET", RpcbUnsetAsync, Change),
            new(RPCBPROC_GETADDR, "RPCBPROC_GETADDR", RpcbGetAddrAnyVersionAsync),
            new(RPCBPROC_DUMP, "RPCBPROC_DUMP", RpcbDumpAsync),
            new(RPCBPROC_GETTIME, "RPCBPROC_GETTIME", RpcbGetTimeAsync),
            new(RPCBPROC_GETVERSADDR, "RPCBPROC_GETVERSADDR", RpcbGetAddrExactAsync));
    }

    public uint Program => PortmapConstants.Program;

    public uint MinVersion => PmapVersion;

    public uint MaxVersion => RpcbVersion4;

    public string Name => "portmapper";

    public PortmapRegistry Registry => _registry;

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => version switch
    {
        PmapVersion => _v2,
        RpcbVersion3 => _v3,
        _ => _v4,
    };

    // --- version 2 ---

    // bool PMAPPROC_SET(mapping) = 1;
    private ValueTask PmapSetAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        PmapMapping m = PmapMapping.Read(ref reader);
        RequireLocal(context);
        bool ok = false;
        if (NetIdOf(m.Protocol) is { } netId && m.Port <= 65535)
        {
            string address = UniversalAddress.Format(IPAddress.Any, (int)m.Port);
            ok = _registry.Set(new RpcbMapping(m.Program, m.Version, netId, address, OwnerOf(context)));
        }

        return WriteBool(results, ok);
    }

    // bool PMAPPROC_UNSET(mapping) = 2; prot and port are ignored: both IPv4 netids go.
    private ValueTask PmapUnsetAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        PmapMapping m = PmapMapping.Read(ref reader);
        RequireLocal(context);
        bool ok = _registry.Unset(m.Program, m.Version, NetIdTcp) | _registry.Unset(m.Program, m.Version, NetIdUdp);
        return WriteBool(results, ok);
    }

    // unsigned int PMAPPROC_GETPORT(mapping) = 3; 0 when not registered. Like rpcbind's
    // find_service_pmap, another version of the program will do: the client then gets
    // PROG_MISMATCH from the service itself and learns the range it supports.
    private ValueTask PmapGetPortAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        PmapMapping m = PmapMapping.Read(ref reader);
        uint port = 0;
        if (NetIdOf(m.Protocol) is { } netId
            && _registry.Find(m.Program, m.Version, netId, exactVersion: false) is { } found
            && UniversalAddress.TryParse(found.Address, out IPEndPoint? ep))
        {
            port = (uint)ep!.Port;
        }

        var writer = new XdrWriter(results);
        writer.WriteUInt32(port);
        return ValueTask.CompletedTask;
    }

    // pmaplist PMAPPROC_DUMP(void) = 4;  struct *pmaplist { mapping map; pmaplist next; }
    // (an optional-data list: TRUE, item, TRUE, item, ..., FALSE).
    private ValueTask PmapDumpAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var writer = new XdrWriter(results);
        foreach (RpcbMapping m in _registry.Snapshot())
        {
            uint protocol = m.NetId switch
            {
                NetIdTcp => IPPROTO_TCP,
                NetIdUdp => IPPROTO_UDP,
                _ => 0,
            };
            if (protocol != 0 && UniversalAddress.TryParse(m.Address, out IPEndPoint? ep))
            {
                writer.WriteBool(true);
                new PmapMapping(m.Program, m.Version, protocol, (uint)ep!.Port).Write(ref writer);
            }
        }

        writer.WriteBool(false);
        return ValueTask.CompletedTask;
    }

    // --- versions 3 and 4 ---

    // bool RPCBPROC_SET(rpcb) = 1;
    private ValueTask RpcbSetAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        RpcbMapping m = RpcbMapping.Read(ref reader);
        RequireLocal(context);
        bool ok = m.NetId.Length > 0 && m.Address.Length > 0
            && _registry.Set(m with { Owner = m.Owner.Length > 0 ? m.Owner : OwnerOf(context) });
        return WriteBool(results, ok);
    }

    // bool RPCBPROC_UNSET(rpcb) = 2; an empty r_netid removes every netid.
    private ValueTask RpcbUnsetAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        RpcbMapping m = RpcbMapping.Read(ref reader);
        RequireLocal(context);
        bool ok = _registry.Unset(m.Program, m.Version, m.NetId);
        return WriteBool(results, ok);
    }

    // v4 GETVERSADDR: the exact version only.
    private ValueTask RpcbGetAddrExactAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        GetAddr(context, arguments, results, exactVersion: true);

    // v3 and v4 GETADDR: any version of the program when the exact one is not registered
    // (rpcbind's RPCB_ALLVERS).
    private ValueTask RpcbGetAddrAnyVersionAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results) =>
        GetAddr(context, arguments, results, exactVersion: false);

    // string RPCBPROC_GETADDR(rpcb) = 3; "" when not registered. RFC 1833: the r_netid of
    // the argument is ignored, the netid is that of the transport the request came in on.
    private ValueTask GetAddr(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results, bool exactVersion)
    {
        var reader = new XdrReader(arguments.Span);
        RpcbMapping query = RpcbMapping.Read(ref reader);
        string netId = context.LocalEndPoint is IPEndPoint local ? UniversalAddress.TcpNetId(local.AddressFamily) : NetIdTcp;
        string address = string.Empty;
        if (_registry.Find(query.Program, query.Version, netId, exactVersion) is { } found)
        {
            address = MergeAddress(found.Address, context.LocalEndPoint as IPEndPoint);
        }

        var writer = new XdrWriter(results);
        writer.WriteString(address);
        return ValueTask.CompletedTask;
    }

    // rpcblist_ptr RPCBPROC_DUMP(void) = 4; struct rp__list { rpcb rpcb_map; struct rp__list *rpcb_next; };
    private ValueTask RpcbDumpAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var writer = new XdrWriter(results);
        foreach (RpcbMapping m in _registry.Snapshot())
        {
            writer.WriteBool(true);
            m.Write(ref writer);
        }

        writer.WriteBool(false);
        return ValueTask.CompletedTask;
    }

    // unsigned int RPCBPROC_GETTIME(void) = 6; seconds since the epoch.
    private ValueTask RpcbGetTimeAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var writer = new XdrWriter(results);
        writer.WriteUInt32((uint)_time.GetUtcNow().ToUnixTimeSeconds());
        return ValueTask.CompletedTask;
    }

    // A wildcard registration (0.0.0.0 / ::) is answered with the address the client
    // reached us on, as rpcbind's mergeaddr does: the client cannot connect to 0.0.0.0.
    private static string MergeAddress(string registered, IPEndPoint? local)
    {
        if (local is null || !UniversalAddress.TryParse(registered, out IPEndPoint? ep))
        {
            return registered;
        }

        bool wildcard = ep!.Address.Equals(IPAddress.Any) || ep.Address.Equals(IPAddress.IPv6Any);
        return wildcard ? UniversalAddress.Format(local.Address, ep.Port) : registered;
    }

    private static string? NetIdOf(uint protocol) => protocol switch
    {
        IPPROTO_TCP => NetIdTcp,
        IPPROTO_UDP => NetIdUdp,
        _ => null,
    };

    private static void RequireLocal(RpcCallContext context)
    {
        if (context.Connection.RemoteAddress is not { } address || !IPAddress.IsLoopback(address))
        {
            throw new RpcAuthException(AuthStat.AUTH_TOOWEAK);
        }
    }

    private static string OwnerOf(RpcCallContext context) =>
        context.Credential.AuthSys is { } sys ? sys.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";

    private static ValueTask WriteBool(IBufferWriter<byte> results, bool value)
    {
        var writer = new XdrWriter(results);
        writer.WriteBool(value);
        return ValueTask.CompletedTask;
    }
}
