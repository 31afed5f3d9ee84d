using Gateway.Smb.Protocol;
using Gateway.Smb.Server;
using Gateway.Vfs.Locking;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.19 READ Request (StructureSize 49):
//   0 StructureSize 2 Padding 3 Flags 4 Length 8 Offset 16 FileId 32 MinimumCount 36 Channel
//  40 RemainingBytes 44 ReadChannelInfoOffset 46 ReadChannelInfoLength 48 Buffer
// 2.2.20 Response (StructureSize 17): 0 StructureSize 2 DataOffset (1) 3 Reserved 4 DataLength
//   8 DataRemaining 12 Reserved2 16 Buffer
internal static class ReadCommand
{
    private const int DataOffset = Smb2Header.Size + 16;

    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 48 || Wire.U16(body, 0) != 49)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var length = Wire.U32(body, 4);
        var offset = Wire.U64(body, 8);
        var minimum = Wire.U32(body, 32);
        if (length > (uint)request.Options.MaxIo)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (!CreditChargeCovers(request, length))
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(body.Slice(16, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Pipe is { } pipe)
            return ReadPipe(pipe, (int)length);
        if (open.IsDirectory)
            return SmbResponse.Error(NtStatus.InvalidDeviceRequest);
        if (!open.Has(AccessRights.ReadData | AccessRights.Execute))
            return SmbResponse.Error(NtStatus.AccessDenied);
        if (offset > long.MaxValue)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var vfs = open.Vfs!;
        if (vfs.Locks.CheckIo(open.Node, open.Owner, new ByteRange(offset, length), write: false) is not null)
            return SmbResponse.Error(NtStatus.FileLockConflict);
        var r = SmbResponse.Create(16 + (int)length);
        var read = await vfs.ReadAsync(open.Session.Principal, open.Node, (long)offset,
            r.Buffer.AsMemory(DataOffset, (int)length), request.CancellationToken).ConfigureAwait(false);
        if (!read.IsOk)
        {
            r.Dispose();
            return SmbResponse.Error(StatusMap.ToNtStatus(read.Status));
        }
        var count = read.Value.Count;
        if ((count == 0 && length > 0) || count < minimum)
        {
            r.Dispose();
            return SmbResponse.Error(NtStatus.EndOfFile);
        }
        open.Position = (long)offset + count;
        var b = r.Body;
        Wire.U16(b, 0, 17);
        b[2] = DataOffset;
        Wire.U32(b, 4, (uint)count);
        r.BodyLength = 16 + count;
        return r;
    }

    private static SmbResponse ReadPipe(Gateway.Smb.DceRpc.NamedPipeEndpoint pipe, int length)
    {
        if (!pipe.HasOutput)
            return SmbResponse.Error(NtStatus.EndOfFile);
        var r = SmbResponse.Create(16 + length);
        int n;
        bool more;
        lock (pipe)
            n = pipe.Read(r.Buffer.AsSpan(DataOffset, length), out more);
        var b = r.Body;
        Wire.U16(b, 0, 17);
        b[2] = DataOffset;
        Wire.U32(b, 4, (uint)n);
        r.BodyLength = 16 + n;
        if (more)
            r.Status = NtStatus.BufferOverflow;
        return r;
    }

    /// <summary>MS-SMB2 3.3.5.2.5: with large MTU, CreditCharge must cover (payload - 1) / 64 KiB + 1.</summary>
    public static bool CreditChargeCovers(SmbRequest request, uint payload)
    {
        if (!request.Connection.LargeMtu || payload <= 65536)
            return true;
        var needed = (payload - 1) / 65536 + 1;
        return request.Header.CreditCharge >= needed;
    }
}
