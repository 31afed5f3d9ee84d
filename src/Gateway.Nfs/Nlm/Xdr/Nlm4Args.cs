using Gateway.Rpc;

namespace Gateway.Nfs.Nlm.Xdr;

// The argument structures of NLM v4 (XNFS, NLM version 4 "Data types"):
//
//   struct nlm4_testargs   { netobj cookie; bool exclusive; nlm4_lock alock; };
//   struct nlm4_lockargs   { netobj cookie; bool block; bool exclusive; nlm4_lock alock;
//                            bool reclaim; int32 state; };
//   struct nlm4_cancargs   { netobj cookie; bool block; bool exclusive; nlm4_lock alock; };
//   struct nlm4_unlockargs { netobj cookie; nlm4_lock alock; };
//   struct nlm4_shareargs  { netobj cookie; nlm4_share share; bool reclaim; };
//   struct nlm4_notify     { string name<MAXNAMELEN>; int32 state; };
//
// The cookie is the client's, echoed in the reply (and in GRANTED, which is also nlm4_testargs).
// lockargs.state is the client's NSM state number; like Linux lockd, the server does not use it.
internal sealed record Nlm4TestArgs(byte[] Cookie, bool Exclusive, Nlm4Lock Lock)
{
    public static Nlm4TestArgs Read(ref XdrReader r) =>
        new(ReadCookie(ref r), r.ReadBool(), Nlm4Lock.Read(ref r));

    public void Write(ref XdrWriter w)
    {
        w.WriteOpaque(Cookie);
        w.WriteBool(Exclusive);
        Lock.Write(ref w);
    }

    internal static byte[] ReadCookie(ref XdrReader r) => r.ReadOpaque(Nlm4.MaxNetobjLength).ToArray();
}

internal sealed record Nlm4LockArgs(byte[] Cookie, bool Block, bool Exclusive, Nlm4Lock Lock, bool Reclaim, int State)
{
    public static Nlm4LockArgs Read(ref XdrReader r) =>
        new(Nlm4TestArgs.ReadCookie(ref r), r.ReadBool(), r.ReadBool(), Nlm4Lock.Read(ref r), r.ReadBool(), r.ReadInt32());

    public void Write(ref XdrWriter w)
    {
        w.WriteOpaque(Cookie);
        w.WriteBool(Block);
        w.WriteBool(Exclusive);
        Lock.Write(ref w);
        w.WriteBool(Reclaim);
        w.WriteInt32(State);
    }
}

internal sealed record Nlm4CancArgs(byte[] Cookie, bool Block, bool Exclusive, Nlm4Lock Lock)
{
    public static Nlm4CancArgs Read(ref XdrReader r) =>
        new(Nlm4TestArgs.ReadCookie(ref r), r.ReadBool(), r.ReadBool(), Nlm4Lock.Read(ref r));

    public void Write(ref XdrWriter w)
    {
        w.WriteOpaque(Cookie);
        w.WriteBool(Block);
        w.WriteBool(Exclusive);
        Lock.Write(ref w);
    }
}

internal sealed record Nlm4UnlockArgs(byte[] Cookie, Nlm4Lock Lock)
{
    public static Nlm4UnlockArgs Read(ref XdrReader r) => new(Nlm4TestArgs.ReadCookie(ref r), Nlm4Lock.Read(ref r));

    public void Write(ref XdrWriter w)
    {
        w.WriteOpaque(Cookie);
        Lock.Write(ref w);
    }
}

internal sealed record Nlm4ShareArgs(byte[] Cookie, Nlm4Share Share, bool Reclaim)
{
    public static Nlm4ShareArgs Read(ref XdrReader r) =>
        new(Nlm4TestArgs.ReadCookie(ref r), Nlm4Share.Read(ref r), r.ReadBool());

    public void Write(ref XdrWriter w)
    {
        w.WriteOpaque(Cookie);
        Share.Write(ref w);
        w.WriteBool(Reclaim);
    }
}

internal sealed record Nlm4Notify(string Name, int State)
{
    public static Nlm4Notify Read(ref XdrReader r) => new(Nlm4Lock.ReadName(ref r), r.ReadInt32());

    public void Write(ref XdrWriter w)
    {
        w.WriteString(Name);
        w.WriteInt32(State);
    }
}
