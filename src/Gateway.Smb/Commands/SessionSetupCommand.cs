using Gateway.Smb.Protocol;
using Gateway.Smb.Security;
using Gateway.Smb.Server;
using Gateway.Vfs;

namespace Gateway.Smb.Commands;

// MS-SMB2 2.2.5 SESSION_SETUP Request (StructureSize 25):
//   0 StructureSize  2 Flags (BINDING 0x01)  3 SecurityMode  4 Capabilities  8 Channel
//  12 SecurityBufferOffset  14 SecurityBufferLength  16 PreviousSessionId  24 Buffer
// 2.2.6 Response (StructureSize 9): 0 StructureSize 2 SessionFlags 4 SecurityBufferOffset 6 SecurityBufferLength 8 Buffer
//
// 3.1.1 preauth integrity (3.3.5.5): each session's hash starts from the connection's (NEGOTIATE
// request + response) and takes in every SESSION_SETUP request and response, except the final
// successful response, which is signed with the key derived from that hash.
internal static class SessionSetupCommand
{
    private const ushort FlagIsGuest = 0x1, FlagIsNull = 0x2, FlagEncryptData = 0x4;

    public static SmbResponse Handle(SmbRequest request)
    {
        var c = request.Connection;
        var body = request.Body;
        if (body.Length < 24 || Wire.U16(body, 0) != 25)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if (c.WildcardNegotiated)
            return SmbResponse.Error(NtStatus.InvalidParameter);
        if ((body[2] & 0x01) != 0)
            return SmbResponse.Error(NtStatus.RequestNotAccepted); // no multichannel: no session binding
        if (!Wire.TrySlice(request.Message.Span, Wire.U16(body, 12), Wire.U16(body, 14), out var token) || token.Length == 0)
            return SmbResponse.Error(NtStatus.InvalidParameter);

        SmbSession session;
        var reauth = false;
        if (request.SessionId == 0)
        {
            session = new SmbSession(SmbConnection.NewId());
            if (c.Dialect == SmbDialect.Smb311)
                session.Preauth = c.Preauth?.Clone();
            c.Sessions[session.Id] = session;
        }
        else
        {
            if (!c.Sessions.TryGetValue(request.SessionId, out var found))
                return SmbResponse.Error(NtStatus.UserSessionDeleted);
            session = found;
            if (session.State == SessionState.Valid)
            {
                // Re-authentication: the request is signed with the session's key; keys stay as they are.
                if (request.Header.IsSigned && (session.Signer is null || !session.Signer.Verify(request.Message.Span)))
                    return SmbResponse.Error(NtStatus.AccessDenied);
                reauth = true;
            }
        }
        request.ResponseSessionId = session.Id;
        request.Session = session;
        session.Authenticator ??= new NtlmAuthenticator(request.Options.Users, request.Options.ServerName,
            request.Options.DomainName, request.Options.ServerName.ToLowerInvariant(), request.Options.AllowGuest);
        if (!reauth)
            session.Preauth?.Update(request.Message.Span);

        AuthStepResult result;
        try
        {
            result = session.Authenticator.Step(token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            request.Options.Log($"smb: NTLM step failed: {e.Message}");
            result = new AuthStepResult(AuthOutcome.InvalidToken, [], null, null, false);
        }

        switch (result.Outcome)
        {
            case AuthOutcome.Continue:
            {
                var r = Build(NtStatus.MoreProcessingRequired, 0, result.ResponseToken);
                r.NeverSign = true;
                var preauth = reauth ? null : session.Preauth;
                if (preauth is not null)
                    r.OnSent = m => preauth.Update(m);
                return r;
            }
            case AuthOutcome.Success:
                return Complete(request, session, result, reauth);
            default:
            {
                session.Authenticator = null;
                c.Sessions.TryRemove(session.Id, out _);
                if (reauth)
                {
                    // A failed re-authentication ends the session (MS-SMB2 3.3.5.5.3; Windows, Samba):
                    // its opens close and their pending CHANGE_NOTIFYs complete (smb2.notify.invalid-reauth).
                    c.Retire(session);
                    SessionCleanup.Logoff(request.Server, session);
                }
                var status = result.Outcome == AuthOutcome.LogonFailure ? NtStatus.LogonFailure : NtStatus.InvalidParameter;
                var r = SmbResponse.Error(status);
                // A failed re-authentication still answers under the session's existing key.
                if (reauth && session.Signer is not null)
                    r.SignWith = session;
                else
                    r.NeverSign = true;
                return r;
            }
        }
    }

    private static SmbResponse Complete(SmbRequest request, SmbSession session, AuthStepResult result, bool reauth)
    {
        var c = request.Connection;
        var options = request.Options;
        session.Authenticator = null;
        if (result.IsAnonymous && !options.AllowGuest)
        {
            c.Sessions.TryRemove(session.Id, out _);
            return SmbResponse.Error(NtStatus.LogonFailure);
        }
        ushort flags = 0;
        if (result.IsAnonymous || result.User is null)
        {
            flags |= FlagIsNull;
            session.IsAnonymous = true;
            session.Principal = new Principal(65534, 65534, Array.Empty<uint>(), "anonymous");
        }
        else
        {
            session.User = result.User;
            session.Principal = new Principal(result.User.Uid, result.User.Gid, Array.Empty<uint>(), result.User.Name);
        }
        if (!reauth && !session.IsAnonymous && result.SessionKey is { Length: > 0 } key)
        {
            var keys = SmbKeyDerivation.Derive(c.Dialect, key, session.Preauth is null ? default : session.Preauth.Value,
                c.Cipher ?? CipherId.Aes128Ccm);
            var signer = new SmbSigner(c.SigningAlgorithm, keys.SigningKey);
            SmbCipher? enc = null, dec = null;
            if (c.Dialect >= SmbDialect.Smb300 && c.Cipher is { } cipher && keys.EncryptionKey.Length > 0)
            {
                enc = new SmbCipher(cipher, keys.EncryptionKey);
                dec = new SmbCipher(cipher, keys.DecryptionKey);
            }
            session.SetKeys(signer, enc, dec);
            session.ApplicationKey = keys.ApplicationKey;
            session.SigningRequired = options.SigningRequired;
        }
        if (session.EncryptData)
            flags |= FlagEncryptData;
        session.State = SessionState.Valid;
        session.Preauth = null;
        var response = Build(NtStatus.Success, flags, result.ResponseToken);
        if (session.Signer is not null)
            response.SignWith = session;
        else
            response.NeverSign = true;
        return response;
    }

    private static SmbResponse Build(uint status, ushort flags, byte[] token)
    {
        var r = SmbResponse.Ok(8 + token.Length, status);
        var b = r.Body;
        Wire.U16(b, 0, 9);
        Wire.U16(b, 2, flags);
        Wire.U16(b, 4, token.Length == 0 ? (ushort)0 : (ushort)(Smb2Header.Size + 8));
        Wire.U16(b, 6, (ushort)token.Length);
        token.CopyTo(b[8..]);
        if (token.Length == 0)
            r.BodyLength = 9;
        return r;
    }
}
