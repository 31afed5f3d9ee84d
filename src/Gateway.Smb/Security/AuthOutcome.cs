namespace Gateway.Smb.Security;

/// <summary>
/// Continue: send ResponseToken with STATUS_MORE_PROCESSING_REQUIRED. Success: the session is authenticated.
/// LogonFailure: STATUS_LOGON_FAILURE (unknown user, wrong password, NTLMv1). InvalidToken: the token was
/// malformed or out of sequence (STATUS_INVALID_PARAMETER is what Windows answers).
/// </summary>
public enum AuthOutcome
{
    Continue,
    Success,
    LogonFailure,
    InvalidToken,
}
