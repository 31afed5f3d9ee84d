using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3.Xdr;

// RFC 1813 §2.6, attributes around an operation:
//
//   union post_op_attr switch (bool attributes_follow) { case TRUE: fattr3 attributes; case FALSE: void; };
//
//   struct wcc_attr { size3 size; nfstime3 mtime; nfstime3 ctime; };
//   union pre_op_attr switch (bool attributes_follow) { case TRUE: wcc_attr attributes; case FALSE: void; };
//
//   struct wcc_data { pre_op_attr before; post_op_attr after; };
//
// Every modifying procedure returns wcc_data in success AND failure replies, so a client can
// keep its cache honest either way; a side we do not know is sent as attributes_follow FALSE.
internal static class PostOpAttr
{
    public const int Size = 4 + Fattr3.Size;

    public static void Write(ref XdrWriter writer, in VfsAttributes? attributes, ulong fsid)
    {
        if (attributes is { } a)
        {
            writer.WriteBool(true);
            Fattr3.Write(ref writer, a, fsid);
        }
        else
        {
            writer.WriteBool(false);
        }
    }
}

internal static class WccData
{
    public static void Write(ref XdrWriter writer, in WccAttributes? before, in VfsAttributes? after, ulong fsid)
    {
        if (before is { } b)
        {
            writer.WriteBool(true);
            writer.WriteUInt64(b.Size);
            Nfstime3.Write(ref writer, b.ModifyTime);
            Nfstime3.Write(ref writer, b.ChangeTime);
        }
        else
        {
            writer.WriteBool(false);
        }
        PostOpAttr.Write(ref writer, after, fsid);
    }

    public static void Write(ref XdrWriter writer, in DirChange change, ulong fsid) =>
        Write(ref writer, change.Before, change.After, fsid);

    /// <summary>Neither side known (the handle itself could not be used).</summary>
    public static void WriteEmpty(ref XdrWriter writer)
    {
        writer.WriteBool(false);
        writer.WriteBool(false);
    }
}

//   union post_op_fh3 switch (bool handle_follows) { case TRUE: nfs_fh3 handle; case FALSE: void; };
//   struct nfs_fh3 { opaque data<NFS3_FHSIZE>; };
internal static class PostOpFh3
{
    public const int Size = 4 + 4 + NfsHandleCodec.Size;

    // A handle is encoded here, then copied into the reply (a stackalloc'd span cannot be passed to
    // a ref-struct writer). Per thread, and only used between two synchronous statements.
    [ThreadStatic]
    private static byte[]? t_scratch;

    public static void Write(ref XdrWriter writer, NfsHandleCodec codec, int exportId, NodeId node)
    {
        writer.WriteBool(true);
        WriteHandle(ref writer, codec, exportId, node);
    }

    public static void WriteHandle(ref XdrWriter writer, NfsHandleCodec codec, int exportId, NodeId node)
    {
        var handle = t_scratch ??= new byte[NfsHandleCodec.Size];
        codec.Encode(exportId, node, handle);
        writer.WriteOpaque(handle);
    }
}

internal static class FailureWcc
{
    /// <summary>
    /// The wcc_data of a failed modifying call: nothing before (the operation changed nothing it
    /// could vouch for), the object's current attributes after when its handle was usable.
    /// </summary>
    public static void Write(ref XdrWriter writer, in Nfs3Target target)
    {
        if (!target.IsResolved)
        {
            WccData.WriteEmpty(ref writer);
            return;
        }
        WccData.Write(ref writer, null, target.Attributes(), target.FsId);
    }
}
