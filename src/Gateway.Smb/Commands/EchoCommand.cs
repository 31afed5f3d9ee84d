using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.28/2.2.29 ECHO: StructureSize 4 both ways.
internal static class EchoCommand
{
    public static SmbResponse Handle(SmbRequest request)
    {
        if (request.Body.Length < 4 || Wire.U16(request.Body, 0) != 4)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        return SmbResponse.Empty();
    }
}
