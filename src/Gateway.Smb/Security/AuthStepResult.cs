namespace Gateway.Smb.Security;

/// <summary>
/// SessionKey: 16 bytes, the NTLM exported session key (after KEY_EXCH when negotiated): what SMB signing and
/// the SMB 3 KDF take as Session.SessionKey. Null unless Outcome is Success and the user is not anonymous
/// (an anonymous session has no key: MS-SMB2 does not sign or encrypt it).
/// User is null when IsAnonymous (NTLM anonymous: empty user, empty NT response).
/// ResponseToken: what goes in the SESSION_SETUP response's security buffer (may be empty).
/// </summary>
public sealed record AuthStepResult(AuthOutcome Outcome, byte[] ResponseToken, byte[]? SessionKey, SmbUser? User, bool IsAnonymous);
