using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Nsm;

// sm_inter.x:
//
//   struct sm_name   { string mon_name<SM_MAXSTRLEN>; };
//   struct my_id     { string my_name<SM_MAXSTRLEN>; int my_prog; int my_vers; int my_proc; };
//   struct mon_id    { string mon_name<SM_MAXSTRLEN>; struct my_id my_id; };
//   struct mon       { struct mon_id mon_id; opaque priv[16]; };
//   struct stat_chge { string mon_name<SM_MAXSTRLEN>; int state; };
//   struct sm_stat     { int state; };
//   struct sm_stat_res { sm_res res_stat; int state; };
//   struct sm_status   { string mon_name<SM_MAXSTRLEN>; int state; opaque priv[16]; };
//
// my_id names the requester's callback: when mon_name reboots, the monitor calls
// (my_prog, my_vers, my_proc) on host my_name with sm_status, priv echoed back.
internal readonly record struct MyId(string Name, uint Prog, uint Vers, uint Proc)
{
    public static MyId Read(ref XdrReader r) =>
        new(r.ReadString(Nsm1.MaxStringLength), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32());

    public void Write(ref XdrWriter w)
    {
        w.WriteString(Name);
        w.WriteUInt32(Prog);
        w.WriteUInt32(Vers);
        w.WriteUInt32(Proc);
    }
}

internal readonly record struct MonId(string MonName, MyId MyId)
{
    public static MonId Read(ref XdrReader r) => new(r.ReadString(Nsm1.MaxStringLength), MyId.Read(ref r));
}

internal readonly record struct Mon(MonId MonId, byte[] Priv)
{
    public static Mon Read(ref XdrReader r) => new(MonId.Read(ref r), r.ReadOpaqueFixed(Nsm1.PrivSize).ToArray());
}

internal readonly record struct StatChange(string MonName, int State)
{
    public static StatChange Read(ref XdrReader r) => new(r.ReadString(Nsm1.MaxStringLength), r.ReadInt32());

    public byte[] Encode() => NsmXdr.Encode(this, static (ref XdrWriter w, StatChange c) =>
    {
        w.WriteString(c.MonName);
        w.WriteInt32(c.State);
    });
}

internal readonly record struct SmStatus(string MonName, int State, byte[] Priv)
{
    public byte[] Encode() => NsmXdr.Encode(this, static (ref XdrWriter w, SmStatus s) =>
    {
        w.WriteString(s.MonName);
        w.WriteInt32(s.State);
        w.WriteOpaqueFixed(s.Priv);
    });
}

internal static class NsmXdr
{
    public delegate void Writer<T>(ref XdrWriter writer, T value);

    public static byte[] Encode<T>(T value, Writer<T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new XdrWriter(buffer);
        write(ref writer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteStatRes(IBufferWriter<byte> output, SmResult result, int state)
    {
        var w = new XdrWriter(output);
        w.WriteUInt32((uint)result);
        w.WriteInt32(state);
    }

    public static void WriteStat(IBufferWriter<byte> output, int state)
    {
        var w = new XdrWriter(output);
        w.WriteInt32(state);
    }
}
