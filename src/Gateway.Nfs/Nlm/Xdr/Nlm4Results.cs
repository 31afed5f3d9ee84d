using System.Buffers;
using Gateway.Rpc;

namespace Gateway.Nfs.Nlm.Xdr;

// The result structures of NLM v4:
//
//   struct nlm4_holder { bool exclusive; int32 svid; netobj oh; uint64 l_offset; uint64 l_len; };
//   union nlm4_testrply switch (nlm4_stats stat) { case NLM4_DENIED: nlm4_holder holder; default: void; };
//   struct nlm4_stat     { nlm4_stats stat; };
//   struct nlm4_res      { netobj cookie; nlm4_stat stat; };
//   struct nlm4_testres  { netobj cookie; nlm4_testrply test_stat; };
//   struct nlm4_shareres { netobj cookie; nlm4_stats stat; int32 sequence; };
//
// nlm4_res is also the argument of LOCK_RES, CANCEL_RES, UNLOCK_RES and GRANTED_RES, and
// nlm4_testres the argument of TEST_RES: the _MSG forms send these back as calls.
internal readonly record struct Nlm4Holder(bool Exclusive, uint Svid, byte[] Oh, ulong Offset, ulong Length)
{
    public static Nlm4Holder Read(ref XdrReader r) =>
        new(r.ReadBool(), r.ReadUInt32(), r.ReadOpaque(Nlm4.MaxNetobjLength).ToArray(), r.ReadUInt64(), r.ReadUInt64());

    public void Write(ref XdrWriter w)
    {
        w.WriteBool(Exclusive);
        w.WriteUInt32(Svid);
        w.WriteOpaque(Oh);
        w.WriteUInt64(Offset);
        w.WriteUInt64(Length);
    }
}

internal static class Nlm4Results
{
    public static void WriteRes(IBufferWriter<byte> output, ReadOnlySpan<byte> cookie, Nlm4Stat stat)
    {
        var w = new XdrWriter(output);
        w.WriteOpaque(cookie);
        w.WriteUInt32((uint)stat);
    }

    public static void WriteTestRes(IBufferWriter<byte> output, ReadOnlySpan<byte> cookie, Nlm4Stat stat, Nlm4Holder? holder)
    {
        var w = new XdrWriter(output);
        w.WriteOpaque(cookie);
        w.WriteUInt32((uint)stat);
        if (stat == Nlm4Stat.NLM4_DENIED) holder!.Value.Write(ref w);
    }

    // sequence: "unused" in XNFS; Linux and FreeBSD send 0.
    public static void WriteShareRes(IBufferWriter<byte> output, ReadOnlySpan<byte> cookie, Nlm4Stat stat)
    {
        var w = new XdrWriter(output);
        w.WriteOpaque(cookie);
        w.WriteUInt32((uint)stat);
        w.WriteInt32(0);
    }

    public static byte[] Res(ReadOnlySpan<byte> cookie, Nlm4Stat stat)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + cookie.Length);
        WriteRes(buffer, cookie, stat);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] TestRes(ReadOnlySpan<byte> cookie, Nlm4Stat stat, Nlm4Holder? holder)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + cookie.Length);
        WriteTestRes(buffer, cookie, stat, holder);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>nlm4_res as a reply or a _RES call carries it: the cookie and the status.</summary>
    public static (byte[] Cookie, Nlm4Stat Stat) ReadRes(ReadOnlySpan<byte> bytes)
    {
        var r = new XdrReader(bytes);
        var cookie = Nlm4TestArgs.ReadCookie(ref r);
        return (cookie, (Nlm4Stat)r.ReadUInt32());
    }
}
