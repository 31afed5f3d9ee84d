using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.17 FLUSH Request (StructureSize 24): 0 StructureSize 2 Reserved1 4 Reserved2 8 FileId. Response: StructureSize 4.
// The data reaches the disk before the response (Vfs.CommitAsync is an fsync).
internal static class FlushCommand
{
    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        if (request.Body.Length < 24 || Wire.U16(request.Body, 0) != 24)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var open = request.FindOpen(request.Body.Slice(8, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (open.Pipe is not null)
            return SmbResponse.Empty();
        if (!open.Has(AccessRights.WriteData | AccessRights.AppendData))
            return SmbResponse.Error(NtStatus.AccessDenied);
        if (!open.IsDirectory)
        {
            var done = await open.Vfs!.CommitAsync(open.Node, request.CancellationToken).ConfigureAwait(false);
            if (!done.IsOk)
                return SmbResponse.Error(StatusMap.ToNtStatus(done.Status));
        }
        return SmbResponse.Empty();
    }
}
