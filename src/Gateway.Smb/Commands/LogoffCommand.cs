using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.7/2.2.8 LOGOFF: StructureSize 4 both ways. The session's opens (and with them their
// byte-range locks and share reservations) go; the response is still signed with the session's key.
internal static class LogoffCommand
{
    public static SmbResponse Handle(SmbRequest request)
    {
        if (request.Body.Length < 4 || Wire.U16(request.Body, 0) != 4)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        var session = request.Session!;
        request.Connection.Sessions.TryRemove(session.Id, out _);
        request.Connection.Retire(session);
        SessionCleanup.Logoff(request.Server, session);
        return SmbResponse.Empty();
    }
}
