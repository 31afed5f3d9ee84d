using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.11/2.2.12 TREE_DISCONNECT: StructureSize 4 both ways; the tree's opens are closed.
internal static class TreeDisconnectCommand
{
    public static SmbResponse Handle(SmbRequest request)
    {
        if (request.Body.Length < 4 || Wire.U16(request.Body, 0) != 4)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        SessionCleanup.DisconnectTree(request.Server, request.Session!, request.Tree!);
        return SmbResponse.Empty();
    }
}
