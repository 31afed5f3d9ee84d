using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;
using static Gateway.Nfs.V3.Nfs3Status;

namespace Gateway.Nfs.V3.Procedures;

// RFC 1813 §3.3.11, MKNOD3res NFSPROC3_MKNOD(MKNOD3args) = 11;
//
//   struct devicedata3 { sattr3 dev_attributes; specdata3 spec; };
//   union mknoddata3 switch (ftype3 type) {
//   case NF3CHR:
//   case NF3BLK:  devicedata3 device;
//   case NF3SOCK:
//   case NF3FIFO: sattr3 pipe_attributes;
//   default:      void;
//   };
//   struct MKNOD3args { diropargs3 where; mknoddata3 what; };
//   (results: Diropres3)
//
// Regular files, directories and symlinks have their own procedures: NFS3ERR_BADTYPE here.
// Only the mode of the attributes is applied (Mknod takes a mode, as mknod(2) does).
internal static class MkNod
{
    private const uint DefaultMode = 0x1A4; // 0644

    public static ValueTask Handle(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var args = new XdrReader(arguments.Span);
        var handle = args.ReadOpaque(Nfs3.FhSize);
        var name = WireName.Read(ref args);
        var wireType = (Ftype3)args.ReadUInt32();
        FileType? type = wireType switch
        {
            Ftype3.NF3CHR => FileType.CharDevice,
            Ftype3.NF3BLK => FileType.BlockDevice,
            Ftype3.NF3SOCK => FileType.Socket,
            Ftype3.NF3FIFO => FileType.Fifo,
            _ => null,
        };
        SetAttributes attributes = SetAttributes.None;
        uint major = 0, minor = 0;
        if (type is not null) attributes = Sattr3.Read(ref args);
        if (type is FileType.CharDevice or FileType.BlockDevice)
        {
            major = args.ReadUInt32();
            minor = args.ReadUInt32();
        }

        var status = nfs.Resolve(call, handle, out var dir);
        VfsResult<CreateResult> created = default;
        if (status == NFS3_OK) status = name.Error;
        if (status == NFS3_OK && type is null) status = NFS3ERR_BADTYPE;
        if (status == NFS3_OK)
        {
            created = dir.Vfs.Mknod(dir.Caller, dir.Node, name.Value!, type!.Value, attributes.Mode ?? DefaultMode, major, minor);
            status = nfs.Map(created.Status, call);
        }

        var reply = new XdrWriter(results);
        Diropres3.Write(ref reply, nfs, status, dir, created.IsOk ? created.Value : default);
        return ValueTask.CompletedTask;
    }
}
