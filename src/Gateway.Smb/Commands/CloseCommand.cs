using Gateway.Smb.Info;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.15 CLOSE Request (StructureSize 24): 0 StructureSize 2 Flags (POSTQUERY_ATTRIB 1) 4 Reserved 8 FileId
// 2.2.16 Response (StructureSize 60): 0 StructureSize 2 Flags 4 Reserved 8 CreationTime 16 LastAccessTime
// 24 LastWriteTime 32 ChangeTime 40 AllocationSize 48 EndofFile 56 FileAttributes
internal static class CloseCommand
{
    public static SmbResponse Handle(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 24 || Wire.U16(body, 0) != 24)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(body.Slice(8, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        var postQuery = (Wire.U16(body, 2) & 1) != 0;
        VfsAttributes? after = null;
        if (postQuery && open.Vfs is { } vfs)
        {
            var a = vfs.GetAttr(open.Node);
            if (a.IsOk)
                after = a.Value;
        }
        OpenCloser.Close(request.Server, open);
        var r = SmbResponse.Ok(60);
        var b = r.Body;
        Wire.U16(b, 0, 60);
        if (after is { } at)
        {
            Wire.U16(b, 2, 1);
            NodeFigures.WriteTimes(b[8..], at);
            Wire.U64(b, 40, (ulong)NodeFigures.AllocationSize(at));
            Wire.U64(b, 48, (ulong)NodeFigures.EndOfFile(at));
            Wire.U32(b, 56, DosAttributeMap.ToWire(at));
        }
        return r;
    }
}
