using System.Net;
using Gateway.Nfs.Mount;
using Gateway.Nfs.V3;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Support;

/// <summary>
/// A typed NFSv3/MOUNT client over the socketless seam: each call is a raw RPC record fed to the
/// dispatcher, each reply is parsed as a client would, and every parse must consume the whole
/// result (so a reply with a missing or extra field fails the test).
/// </summary>
internal sealed partial class NfsClient
{
    public const uint NfsProgram = 100003;
    public const uint MountProgramNumber = 100005;
    private static int s_xid = 0x10000;

    private readonly RpcDispatcher _dispatcher;

    public NfsClient(RpcDispatcher dispatcher, string remote, AuthSysParams? credential)
    {
        _dispatcher = dispatcher;
        Connection = new RpcConnectionInfo(1, new IPEndPoint(IPAddress.Parse(remote), 871), new IPEndPoint(IPAddress.Loopback, 2049));
        Credential = credential;
    }

    public RpcConnectionInfo Connection { get; }

    public AuthSysParams? Credential { get; }

    public static uint NextXid() => (uint)Interlocked.Increment(ref s_xid);

    public static AuthSysParams Sys(uint uid = 1000, uint gid = 1000) => new(0x5eed, "client", uid, gid, [gid, 4, 27]);

    /// <summary>The whole reply record, mark included.</summary>
    public async Task<byte[]> RawAsync(uint program, uint version, uint procedure, byte[] arguments, uint? xid = null)
    {
        var message = Xdr.Build((ref XdrWriter w) =>
        {
            RpcCall.WriteHeader(ref w, xid ?? NextXid(), program, version, procedure, Credential);
            w.WriteOpaqueFixed(arguments);
        });
        using var reply = await _dispatcher.DispatchAsync(message, Connection);
        Assert.NotNull(reply);
        return reply.WrittenSpan.ToArray();
    }

    /// <summary>The procedure's results; the call must have been accepted with SUCCESS.</summary>
    public async Task<byte[]> CallAsync(uint program, uint version, uint procedure, byte[] arguments, uint? xid = null)
    {
        var record = await RawAsync(program, version, procedure, arguments, xid);
        return Results(record);
    }

    public static byte[] Results(byte[] record)
    {
        var header = RpcReplyHeader.Read(record.AsSpan(4));
        Assert.True(header.IsSuccess, $"RPC reply {header.ToString()}");
        return header.Results.ToArray();
    }

    public static (AcceptStat Stat, uint Low, uint High) Accept(byte[] record)
    {
        var header = RpcReplyHeader.Read(record.AsSpan(4));
        Assert.Equal(ReplyStat.MSG_ACCEPTED, header.ReplyStat);
        return (header.AcceptStat, header.MismatchLow, header.MismatchHigh);
    }

    private Task<byte[]> Nfs(Nfs3Procedure procedure, XdrBuild build, uint? xid = null) =>
        CallAsync(NfsProgram, 3, (uint)procedure, Xdr.Build(build), xid);

    private Task<byte[]> Mount(uint procedure, XdrBuild build, uint version = 3) =>
        CallAsync(MountProgramNumber, version, procedure, Xdr.Build(build));

    // MOUNT

    public async Task<MntReply> MntAsync(string path) => Xdr.Parse(await Mount(1, (ref XdrWriter w) => w.WriteString(path)),
        static (ref XdrReader r) =>
        {
            var status = (MountStatus)r.ReadUInt32();
            if (status != MountStatus.MNT3_OK) return new MntReply(status, null, []);
            var handle = r.ReadOpaque(64).ToArray();
            var flavors = new uint[r.ReadUInt32()];
            for (var i = 0; i < flavors.Length; i++) flavors[i] = r.ReadUInt32();
            return new MntReply(status, handle, flavors);
        });

    public async Task<byte[]> RootAsync(string path = "/export")
    {
        var mnt = await MntAsync(path);
        Assert.Equal(MountStatus.MNT3_OK, mnt.Status);
        return mnt.Handle!;
    }

    public async Task<List<(string Host, string Path)>> DumpAsync(uint version = 3) =>
        Xdr.Parse(await Mount(2, static (ref XdrWriter _) => { }, version), static (ref XdrReader r) =>
        {
            var list = new List<(string, string)>();
            while (r.ReadBool()) list.Add((r.ReadString(255), r.ReadString(1024)));
            return list;
        });

    public async Task UmntAsync(string path) => Assert.Empty(await Mount(3, (ref XdrWriter w) => w.WriteString(path)));

    public async Task UmntAllAsync() => Assert.Empty(await Mount(4, static (ref XdrWriter _) => { }));

    public async Task<List<ExportNode>> ExportAsync(uint version = 3) =>
        Xdr.Parse(await Mount(5, static (ref XdrWriter _) => { }, version), static (ref XdrReader r) =>
        {
            var list = new List<ExportNode>();
            while (r.ReadBool())
            {
                var path = r.ReadString(1024);
                var groups = new List<string>();
                while (r.ReadBool()) groups.Add(r.ReadString(255));
                list.Add(new ExportNode(path, groups.ToArray()));
            }
            return list;
        });
}
