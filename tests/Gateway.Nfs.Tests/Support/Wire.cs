using Gateway.Nfs.V3;
using Gateway.Rpc;

namespace Gateway.Nfs.Tests.Support;

// Client-side views of RFC 1813 results, decoded independently of the server's encoders.
internal sealed record Time3(uint Seconds, uint Nanos)
{
    public long Nanoseconds => (Seconds * 1_000_000_000L) + Nanos;
}

internal sealed record Fattr(uint Type, uint Mode, uint Nlink, uint Uid, uint Gid, ulong Size, ulong Used,
    uint Rdev1, uint Rdev2, ulong Fsid, ulong FileId, Time3 Atime, Time3 Mtime, Time3 Ctime);

internal sealed record WccAttr(ulong Size, Time3 Mtime, Time3 Ctime);

internal sealed record Wcc(WccAttr? Before, Fattr? After);

internal sealed record Sattr(uint? Mode = null, uint? Uid = null, uint? Gid = null, ulong? Size = null,
    uint AtimeHow = 0, Time3? Atime = null, uint MtimeHow = 0, Time3? Mtime = null)
{
    public static readonly Sattr None = new();

    public void Write(ref XdrWriter w)
    {
        Optional(ref w, Mode);
        Optional(ref w, Uid);
        Optional(ref w, Gid);
        w.WriteBool(Size is not null);
        if (Size is { } s) w.WriteUInt64(s);
        Time(ref w, AtimeHow, Atime);
        Time(ref w, MtimeHow, Mtime);
    }

    private static void Optional(ref XdrWriter w, uint? value)
    {
        w.WriteBool(value is not null);
        if (value is { } v) w.WriteUInt32(v);
    }

    private static void Time(ref XdrWriter w, uint how, Time3? t)
    {
        w.WriteUInt32(how);
        if (how == 2)
        {
            w.WriteUInt32(t!.Seconds);
            w.WriteUInt32(t.Nanos);
        }
    }
}

internal static class Wire
{
    public static Nfs3Status Status(ref XdrReader r) => (Nfs3Status)r.ReadUInt32();

    public static Time3 Time(ref XdrReader r) => new(r.ReadUInt32(), r.ReadUInt32());

    public static Fattr Fattr(ref XdrReader r) => new(
        r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(),
        r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt64(), r.ReadUInt64(),
        Time(ref r), Time(ref r), Time(ref r));

    public static Fattr? PostOpAttr(ref XdrReader r) => r.ReadBool() ? Fattr(ref r) : null;

    public static Wcc Wcc(ref XdrReader r)
    {
        WccAttr? before = r.ReadBool() ? new WccAttr(r.ReadUInt64(), Time(ref r), Time(ref r)) : null;
        return new Wcc(before, PostOpAttr(ref r));
    }

    public static byte[] Handle(ref XdrReader r) => r.ReadOpaque(64).ToArray();

    public static byte[]? PostOpFh(ref XdrReader r) => r.ReadBool() ? Handle(ref r) : null;

    public static void DirOp(ref XdrWriter w, byte[] dir, string name)
    {
        w.WriteOpaque(dir);
        w.WriteString(name);
    }

    public static void DirOp(ref XdrWriter w, byte[] dir, byte[] rawName)
    {
        w.WriteOpaque(dir);
        w.WriteOpaque(rawName);
    }
}
