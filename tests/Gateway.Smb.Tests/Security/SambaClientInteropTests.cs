using System.Diagnostics;
using Gateway.Smb.Security;

namespace Gateway.Smb.Tests.Security;

/// <summary>
/// Samba's own NTLMSSP/SPNEGO client (ntlm_auth from Debian's samba packages, helper protocols
/// "ntlmssp-client-1" and "gss-spnego-client") against our authenticator: an independent implementation of
/// the client side. ntlm_auth's client sends no NTLM MIC (no MsvAvFlags, though it leaves room for one), so
/// our mechListMIC is not exercised here: Microsoft's published exchange covers it byte for byte
/// (NtlmVectorTests.Microsofts_SMB311_mechListMICs_verify_and_ours_is_byte_identical).
/// </summary>
public class SambaClientInteropTests
{
    private static readonly TestUsers Users = new(("alice", "Secret-1"));

    /// <summary>One ntlm_auth helper process, spoken to line by line; killed on dispose.</summary>
    private sealed class Helper : IDisposable
    {
        private readonly Process _process;

        public Helper(string protocol, string password)
        {
            var start = new ProcessStartInfo("ntlm_auth")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { $"--helper-protocol={protocol}", "--username=alice", $"--password={password}", "--domain=WORKGROUP" })
            {
                start.ArgumentList.Add(arg);
            }

            _process = Process.Start(start) ?? throw new InvalidOperationException("ntlm_auth did not start");
        }

        public string Ask(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            Task<string?> read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(20)) || read.Result is null)
            {
                throw new TimeoutException($"ntlm_auth did not answer '{line}': {_process.StandardError.ReadToEnd()}");
            }

            return read.Result;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }

    private static byte[] Payload(string answer, string verb)
    {
        Assert.StartsWith(verb + " ", answer);
        return Convert.FromBase64String(answer[(verb.Length + 1)..].Trim());
    }

    [Fact]
    public void Spnego_exchange_with_Samba_client_succeeds_and_Samba_accepts_our_mechListMIC()
    {
        using var client = new Helper("gss-spnego-client", "Secret-1");
        var server = new NtlmAuthenticator(Users, "GATEWAY", "WORKGROUP", "gateway");

        AuthStepResult challenge = server.Step(Payload(client.Ask("YR"), "YR"));
        Assert.Equal(AuthOutcome.Continue, challenge.Outcome);

        string answer = client.Ask("TT " + Convert.ToBase64String(challenge.ResponseToken));
        AuthStepResult done = server.Step(Payload(answer, "KK"));
        Assert.Equal(AuthOutcome.Success, done.Outcome);
        Assert.Equal("alice", done.User!.Name);
        Assert.Equal(16, done.SessionKey!.Length);
        Assert.True(Spnego.TryParseResp(done.ResponseToken, out NegTokenResp? resp));
        Assert.Equal(NegState.AcceptCompleted, resp!.State);
        Assert.Null(resp.MechListMic); // NTLMSSP was its first choice and it sent no MIC: none is due

        // Samba parses our accept-completed token and says AF ("authentication finished") when it accepts it.
        string final = client.Ask("TT " + Convert.ToBase64String(done.ResponseToken));
        Assert.StartsWith("AF", final);
    }

    [Fact]
    public void Raw_ntlmssp_exchange_with_Samba_client_gives_the_same_session_key()
    {
        using var client = new Helper("ntlmssp-client-1", "Secret-1");
        var server = new NtlmAuthenticator(Users, "GATEWAY", "WORKGROUP", "gateway");

        AuthStepResult challenge = server.Step(Payload(client.Ask("YR"), "YR"));
        Assert.Equal(AuthOutcome.Continue, challenge.Outcome);
        // ntlmssp-client-1 answers a CHALLENGE with "AF <AUTHENTICATE>": it considers itself done.
        AuthStepResult done = server.Step(Payload(client.Ask("TT " + Convert.ToBase64String(challenge.ResponseToken)), "AF"));
        Assert.Equal(AuthOutcome.Success, done.Outcome);

        byte[] clientKey = Payload(client.Ask("GK"), "GK");
        Assert.Equal(clientKey, done.SessionKey);
    }

    [Fact]
    public void Samba_client_with_the_wrong_password_is_refused()
    {
        using var client = new Helper("gss-spnego-client", "wrong");
        var server = new NtlmAuthenticator(Users, "GATEWAY", "WORKGROUP", "gateway");
        AuthStepResult challenge = server.Step(Payload(client.Ask("YR"), "YR"));
        AuthStepResult done = server.Step(Payload(client.Ask("TT " + Convert.ToBase64String(challenge.ResponseToken)), "KK"));
        Assert.Equal(AuthOutcome.LogonFailure, done.Outcome);
        Assert.Null(done.SessionKey);
    }
}
