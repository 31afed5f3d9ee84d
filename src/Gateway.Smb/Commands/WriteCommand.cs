using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.21 WRITE Request (StructureSize 49):
//   0 StructureSize 2 DataOffset (2) 4 Length 8 Offset 16 FileId 32 Channel 36 RemainingBytes
//  40 WriteChannelInfoOffset 42 WriteChannelInfoLength 44 Flags (WRITE_THROUGH 1) 48 Buffer
// 2.2.22 Response (StructureSize 17): 0 StructureSize 2 Reserved 4 Count 8 Remaining 12 ChannelInfoOffset 14 ChannelInfoLength
// An Offset of 0xFFFFFFFFFFFFFFFF on an append-only open means "at end of file" (MS-FSA 2.1.5.3).
internal static class WriteCommand
{
    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 48 || Wire.U16(body, 0) != 49)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var length = Wire.U32(body, 4);
        var offset = Wire.U64(body, 8);
        var flags = Wire.U32(body, 44);
        if (length > (uint)request.Options.MaxIo || !ReadCommand.CreditChargeCovers(request, length))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var dataOffset = Wire.U16(body, 2);
        if (!Wire.TrySlice(request.Message.Span, dataOffset, length, out _))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var data = length == 0 ? ReadOnlyMemory<byte>.Empty : request.Message.Slice(dataOffset, (int)length);
        var open = request.FindOpen(body.Slice(16, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Pipe is { } pipe)
        {
            lock (pipe)
                pipe.Write(data.Span);
            return Done(length);
        }
        if (open.IsDirectory)
            return SmbResponse.Error(NtStatus.InvalidDeviceRequest);
        if (!open.Has(AccessRights.WriteData | AccessRights.AppendData))
            return SmbResponse.Error(NtStatus.AccessDenied);
        var vfs = open.Vfs!;
        if (offset == ulong.MaxValue)
        {
            var attrs = vfs.GetAttr(open.Node);
            if (!attrs.IsOk)
                return SmbResponse.Error(StatusMap.ToNtStatus(attrs.Status));
            offset = attrs.Value.Size;
        }
        else if (!open.Has(AccessRights.WriteData))
        {
            // Append-only opens write at end of file whatever offset they name.
            var attrs = vfs.GetAttr(open.Node);
            if (!attrs.IsOk)
                return SmbResponse.Error(StatusMap.ToNtStatus(attrs.Status));
            offset = attrs.Value.Size;
        }
        if (offset > long.MaxValue || length > long.MaxValue - (long)offset)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (vfs.Locks.CheckIo(open.Node, open.Owner, new ByteRange(offset, length), write: true) is not null)
            return SmbResponse.Error(NtStatus.FileLockConflict);
        var writeThrough = (flags & 1) != 0 || (open.Mode & CreateCommand.OptWriteThrough) != 0;
        var written = await vfs.WriteAsync(open.Session.Principal, open.Node, (long)offset, data,
            writeThrough ? WriteStability.FileSync : WriteStability.Unstable, request.CancellationToken).ConfigureAwait(false);
        if (!written.IsOk)
            return SmbResponse.Error(StatusMap.ToNtStatus(written.Status));
        open.Position = (long)offset + written.Value.Count;
        return Done((uint)written.Value.Count);
    }

    private static SmbResponse Done(uint count)
    {
        var r = SmbResponse.Ok(16);
        Wire.U16(r.Body, 0, 17);
        Wire.U32(r.Body, 4, count);
        return r;
    }
}
