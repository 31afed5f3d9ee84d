using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.35 CHANGE_NOTIFY Request (StructureSize 32): 0 StructureSize 2 Flags (WATCH_TREE 1)
//   4 OutputBufferLength 8 FileId 24 CompletionFilter 28 Reserved
// 2.2.36 Response (StructureSize 9): 0 StructureSize 2 OutputBufferOffset 4 OutputBufferLength 8 Buffer
// Usually answered asynchronously: STATUS_PENDING now, the changes when they happen.
internal static class ChangeNotifyCommand
{
    public static async ValueTask<SmbResponse> HandleAsync(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 32 || Wire.U16(body, 0) != 32)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var watchTree = (Wire.U16(body, 2) & 1) != 0;
        if (Wire.U32(body, 4) > (uint)request.Options.MaxIo)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var limit = (int)Wire.U32(body, 4);
        var filter = Wire.U32(body, 24);
        var open = request.FindOpen(body.Slice(8, 16));
        if (open is null)
            return SmbResponse.Error(NtStatus.FileClosed);
        if (!open.IsDirectory || open.Vfs is null || filter == 0)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (!open.Has(AccessRights.ReadData))
            return SmbResponse.Error(NtStatus.AccessDenied);
        if (open.NodeState is { DeletePending: true })
            return SmbResponse.Error(NtStatus.DeletePending);
        ChangeWatch watch;
        lock (open.Gate)
        {
            if (open.IsClosed)
                return SmbResponse.Error(NtStatus.FileClosed);
            if (open.Watch is null)
            {
                open.Watch = new ChangeWatch(open.Vfs, open.Node, filter, watchTree, limit);
                open.NodeState?.AddWatch(open.Watch);
            }
            watch = open.Watch;
            watch.Filter = filter;
            watch.WatchTree = watchTree;
            watch.BufferLimit = Math.Max(watch.BufferLimit, limit);
        }
        var now = watch.TryTake(limit);
        if (now is { } ready)
            return Answer(ready);
        await request.GoAsyncAsync().ConfigureAwait(false);
        var result = await watch.WaitAsync(limit, request.CancellationToken).ConfigureAwait(false);
        return Answer(result);
    }

    private static SmbResponse Answer((uint Status, byte[] Data) result)
    {
        if (result.Status != NtStatus.Success)
            return SmbResponse.Error(result.Status);
        return QueryInfoCommand.Output(result.Data, NtStatus.Success);
    }
}
