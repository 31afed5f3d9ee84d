using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.9 TREE_CONNECT Request (StructureSize 9): 0 StructureSize 2 Flags 4 PathOffset 6 PathLength 8 Buffer
// 2.2.10 Response (StructureSize 16): 0 StructureSize 2 ShareType 3 Reserved 4 ShareFlags 8 Capabilities 12 MaximalAccess
// Path is "\\server\share"; the server part is not checked (clients use IPs, names, aliases).
internal static class TreeConnectCommand
{
    private const byte TypeDisk = 1, TypePipe = 2;
    private const uint ShareFlagEncryptData = 0x8000;
    private const uint ShareFlagNoCaching = 0x30;
    public const uint FullAccess = 0x001F01FF;
    private const uint PipeAccess = 0x001F01FF;

    public static SmbResponse Handle(SmbRequest request)
    {
        var body = request.Body;
        if (body.Length < 8 || Wire.U16(body, 0) != 9)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (!Wire.TrySlice(request.Message.Span, Wire.U16(body, 4), Wire.U16(body, 6), out var pathBytes) || pathBytes.Length == 0)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var path = Wire.Utf16(pathBytes);
        if (!path.StartsWith(@"\\", StringComparison.Ordinal))
            return SmbResponse.Error(NtStatus.BadNetworkName);
        var slash = path.IndexOf('\\', 2);
        if (slash < 0)
            return SmbResponse.Error(NtStatus.BadNetworkName);
        var name = path[(slash + 1)..].TrimEnd('\0');
        var session = request.Session!;
        var c = request.Connection;

        SmbTree tree;
        if (string.Equals(name, "IPC$", StringComparison.OrdinalIgnoreCase))
        {
            tree = new SmbTree(session.NextTreeId(), null, false) { MaximalAccess = PipeAccess };
        }
        else
        {
            var share = request.Server.Shares.Find(name);
            if (share is null)
                return SmbResponse.Error(NtStatus.BadNetworkName);
            if (session.IsAnonymous)
                return SmbResponse.Error(NtStatus.AccessDenied);
            if (share.EncryptionRequired && (c.Dialect < SmbDialect.Smb300 || !c.SupportsEncryption || session.Encryptor is null))
                return SmbResponse.Error(NtStatus.AccessDenied);
            var access = share.Vfs.ReadOnly ? 0x001200A9u : FullAccess;
            tree = new SmbTree(session.NextTreeId(), share, share.EncryptionRequired) { MaximalAccess = access };
        }
        session.Trees[tree.Id] = tree;
        request.ResponseTreeId = tree.Id;
        var r = SmbResponse.Ok(16);
        var b = r.Body;
        Wire.U16(b, 0, 16);
        b[2] = tree.IsPipe ? TypePipe : TypeDisk;
        Wire.U32(b, 4, tree.IsPipe ? ShareFlagNoCaching : tree.EncryptData ? ShareFlagEncryptData : 0);
        Wire.U32(b, 8, 0);
        Wire.U32(b, 12, tree.MaximalAccess);
        return r;
    }
}
