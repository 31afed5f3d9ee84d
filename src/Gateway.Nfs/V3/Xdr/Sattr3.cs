using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3.Xdr;

// RFC 1813 §2.6:
//
//   union set_mode3 switch (bool set_it) { case TRUE: mode3 mode;  default: void; };
//   union set_uid3  switch (bool set_it) { case TRUE: uid3 uid;    default: void; };
//   union set_gid3  switch (bool set_it) { case TRUE: gid3 gid;    default: void; };
//   union set_size3 switch (bool set_it) { case TRUE: size3 size;  default: void; };
//   enum time_how { DONT_CHANGE = 0, SET_TO_SERVER_TIME = 1, SET_TO_CLIENT_TIME = 2 };
//   union set_atime switch (time_how set_it) { case SET_TO_CLIENT_TIME: nfstime3 atime; default: void; };
//   union set_mtime switch (time_how set_it) { case SET_TO_CLIENT_TIME: nfstime3 mtime; default: void; };
//   struct sattr3 { set_mode3 mode; set_uid3 uid; set_gid3 gid; set_size3 size; set_atime atime; set_mtime mtime; };
//
//   union sattrguard3 switch (bool check) { case TRUE: nfstime3 obj_ctime; case FALSE: void; };
//
// A discriminant outside its enum is a malformed call (XdrException → GARBAGE_ARGS).
internal static class Sattr3
{
    public static SetAttributes Read(ref XdrReader reader)
    {
        uint? mode = reader.ReadBool() ? reader.ReadUInt32() & 0xFFF : null;
        uint? uid = reader.ReadBool() ? reader.ReadUInt32() : null;
        uint? gid = reader.ReadBool() ? reader.ReadUInt32() : null;
        ulong? size = reader.ReadBool() ? reader.ReadUInt64() : null;
        var atime = ReadTime(ref reader);
        var mtime = ReadTime(ref reader);
        if (mode is null && uid is null && gid is null && size is null
            && atime.Kind == TimeUpdateKind.DontChange && mtime.Kind == TimeUpdateKind.DontChange)
        {
            return SetAttributes.None;
        }
        return new SetAttributes { Mode = mode, Uid = uid, Gid = gid, Size = size, AccessTime = atime, ModifyTime = mtime };
    }

    /// <summary>sattrguard3: the ctime the client expects, or null for no guard.</summary>
    public static long? ReadGuard(ref XdrReader reader) => reader.ReadBool() ? Nfstime3.Read(ref reader) : null;

    private static TimeUpdate ReadTime(ref XdrReader reader)
    {
        var how = reader.ReadUInt32();
        return how switch
        {
            0 => TimeUpdate.DontChange,
            1 => TimeUpdate.Now,
            2 => TimeUpdate.At(Nfstime3.Read(ref reader)),
            _ => throw new XdrException($"time_how {how} is not DONT_CHANGE, SET_TO_SERVER_TIME or SET_TO_CLIENT_TIME"),
        };
    }
}
