using Gateway.Nfs.Nsm;
using Gateway.Nfs.Tests.Support;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Nsm;

/// <summary>A typed NSM (sm_inter.x) client over the socketless dispatcher.</summary>
internal sealed class NsmClient(NfsClient rpc)
{
    public async Task<(SmResult Result, int State)> StatAsync(string name) =>
        Xdr.Parse(await Call(NsmProcedure.SM_STAT, (ref XdrWriter w) => w.WriteString(name)),
            static (ref XdrReader r) => ((SmResult)r.ReadUInt32(), r.ReadInt32()));

    public async Task<(SmResult Result, int State)> MonAsync(string monName, string myName = "localhost", uint prog = 200100,
        uint vers = 1, uint proc = 1, byte[]? priv = null) =>
        Xdr.Parse(await Call(NsmProcedure.SM_MON, (ref XdrWriter w) =>
        {
            w.WriteString(monName);
            MyId(ref w, myName, prog, vers, proc);
            w.WriteOpaqueFixed(priv ?? new byte[16]);
        }), static (ref XdrReader r) => ((SmResult)r.ReadUInt32(), r.ReadInt32()));

    public async Task<int> UnmonAsync(string monName, string myName = "localhost", uint prog = 200100, uint vers = 1, uint proc = 1) =>
        Xdr.Parse(await Call(NsmProcedure.SM_UNMON, (ref XdrWriter w) =>
        {
            w.WriteString(monName);
            MyId(ref w, myName, prog, vers, proc);
        }), static (ref XdrReader r) => r.ReadInt32());

    public async Task<int> UnmonAllAsync(string myName = "localhost", uint prog = 200100, uint vers = 1, uint proc = 1) =>
        Xdr.Parse(await Call(NsmProcedure.SM_UNMON_ALL, (ref XdrWriter w) => MyId(ref w, myName, prog, vers, proc)),
            static (ref XdrReader r) => r.ReadInt32());

    public async Task SimuCrashAsync() => Assert.Empty(await Call(NsmProcedure.SM_SIMU_CRASH, static (ref XdrWriter _) => { }));

    public async Task NotifyAsync(string monName, int state) => Assert.Empty(await Call(NsmProcedure.SM_NOTIFY, (ref XdrWriter w) =>
    {
        w.WriteString(monName);
        w.WriteInt32(state);
    }));

    private static void MyId(ref XdrWriter w, string myName, uint prog, uint vers, uint proc)
    {
        w.WriteString(myName);
        w.WriteUInt32(prog);
        w.WriteUInt32(vers);
        w.WriteUInt32(proc);
    }

    private Task<byte[]> Call(NsmProcedure procedure, XdrBuild build) =>
        rpc.CallAsync(Nsm1.Program, Nsm1.Version, (uint)procedure, Xdr.Build(build));
}
