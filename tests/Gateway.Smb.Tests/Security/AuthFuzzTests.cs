using Gateway.Smb.Security;
using Gateway.Smb.Tests.Support;

namespace Gateway.Smb.Tests.Security;

/// <summary>
/// Random and mutated tokens into NtlmAuthenticator.Step and the SPNEGO/NTLM parsers: nothing may throw, and the
/// only outcomes are InvalidToken/LogonFailure (or Continue for a first token that still parses). Seeds are fixed
/// and named in every assertion message so a failure can be replayed.
/// </summary>
public class AuthFuzzTests
{
    private static readonly TestUsers Users = new(("alice", "Secret-1"));

    private static NtlmAuthenticator NewServer() => new(Users, "GATEWAY", "WORKGROUP", "gateway", allowAnonymous: false);

    /// <summary>GATEWAY_FUZZ_SCALE=N multiplies every loop by N for a longer run; the default keeps the suite fast.</summary>
    private static readonly int Scale =
        int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_FUZZ_SCALE"), out int scale) && scale > 1 ? scale : 1;

    private static int Scaled(int iterations) => iterations * Scale;

    private static byte[] Mutate(Random random, byte[] original)
    {
        byte[] m = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0: // flip a few bits
                for (int i = random.Next(1, 8); i > 0 && m.Length > 0; i--)
                {
                    m[random.Next(m.Length)] ^= (byte)(1 << random.Next(8));
                }

                return m;
            case 1: // truncate
                return m.AsSpan(0, random.Next(m.Length + 1)).ToArray();
            case 2: // overwrite a 16- or 32-bit field with an extreme value
            {
                if (m.Length < 4)
                {
                    return m;
                }

                int at = random.Next(m.Length - 3);
                uint value = random.Next(4) switch { 0 => 0u, 1 => 0xFFFFFFFFu, 2 => 0x7FFFFFFFu, _ => (uint)random.Next() };
                BitConverter.GetBytes(value).AsSpan(0, random.Next(2) == 0 ? 2 : 4).CopyTo(m.AsSpan(at));
                return m;
            }

            case 3: // append garbage
            {
                byte[] tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return [.. m, .. tail];
            }

            case 4: // splice a random chunk in the middle
            {
                byte[] chunk = new byte[random.Next(1, 32)];
                random.NextBytes(chunk);
                int at = random.Next(m.Length + 1);
                return [.. m.AsSpan(0, at), .. chunk, .. m.AsSpan(at)];
            }

            default: // set a length byte after a DER tag to a long form
            {
                if (m.Length < 2)
                {
                    return m;
                }

                int at = random.Next(m.Length - 1);
                m[at + 1] = (byte)(0x80 | random.Next(0, 8));
                return m;
            }
        }
    }

    [Fact]
    public void Random_first_tokens_never_throw()
    {
        const int Seed = 20261124;
        var random = new Random(Seed);
        for (int i = 0; i < Scaled(3000); i++)
        {
            byte[] token = new byte[random.Next(0, 300)];
            random.NextBytes(token);
            if (i % 3 == 0 && token.Length > 0)
            {
                token[0] = i % 2 == 0 ? (byte)0x60 : (byte)0xA1; // look like SPNEGO
            }
            else if (i % 3 == 1 && token.Length >= 12)
            {
                "NTLMSSP\0"u8.CopyTo(token);
                token[8] = (byte)random.Next(1, 4);
                token[9] = token[10] = token[11] = 0;
            }

            AuthStepResult r = NewServer().Step(token);
            Assert.True(r.Outcome is AuthOutcome.InvalidToken or AuthOutcome.LogonFailure or AuthOutcome.Continue, $"seed {Seed} iteration {i}: {r.Outcome}");
            Assert.Null(r.SessionKey);
            Spnego.TryParseInit(token, out _);
            Spnego.TryParseResp(token, out _);
        }
    }

    [Fact]
    public void Mutated_authenticate_tokens_never_throw_and_never_succeed()
    {
        const int Seed = 7331;
        var random = new Random(Seed);
        foreach (bool spnego in new[] { true, false })
        {
            for (int i = 0; i < Scaled(1500); i++)
            {
                var client = new NtlmClient("alice", "Secret-1") { UseSpnego = spnego, KeyExchange = i % 2 == 0 };
                NtlmAuthenticator server = NewServer();
                AuthStepResult challenge = server.Step(client.CreateInitialToken());
                Assert.Equal(AuthOutcome.Continue, challenge.Outcome);
                byte[] good = client.CreateResponse(challenge.ResponseToken);
                byte[] bad = Mutate(random, good);
                AuthStepResult r = server.Step(bad);
                if (bad.AsSpan().SequenceEqual(good))
                {
                    continue; // the mutation happened to change nothing
                }

                Assert.True(r.Outcome is AuthOutcome.InvalidToken or AuthOutcome.LogonFailure or AuthOutcome.Success,
                    $"seed {Seed} spnego {spnego} iteration {i}: {r.Outcome}");
                if (r.Outcome == AuthOutcome.Success)
                {
                    // A mutation can only succeed by touching bytes nothing authenticates (the workstation name,
                    // padding inside unused DER); the key must still be the right one.
                    Assert.Equal(client.SessionKey, r.SessionKey);
                }
            }
        }
    }

    [Fact]
    public void Mutated_negotiate_tokens_never_throw()
    {
        const int Seed = 99;
        var random = new Random(Seed);
        for (int i = 0; i < Scaled(2000); i++)
        {
            var client = new NtlmClient("alice", "Secret-1") { UseSpnego = i % 2 == 0, OfferKerberosFirst = i % 4 == 0 };
            byte[] bad = Mutate(random, client.CreateInitialToken());
            AuthStepResult r = NewServer().Step(bad);
            Assert.True(r.Outcome is AuthOutcome.InvalidToken or AuthOutcome.LogonFailure or AuthOutcome.Continue, $"seed {Seed} iteration {i}: {r.Outcome}");
        }
    }

    [Fact]
    public void Mutated_transform_headers_never_throw()
    {
        const int Seed = 4040;
        var random = new Random(Seed);
        using var cipher = new SmbCipher(CipherId.Aes128Gcm, new byte[16]);
        byte[] message = new byte[200];
        random.NextBytes(message);
        byte[] good = new byte[SmbCipher.TransformHeaderSize + message.Length];
        cipher.Encrypt(message, 5, good);
        byte[] plain = new byte[4096];
        for (int i = 0; i < Scaled(3000); i++)
        {
            byte[] bad = Mutate(random, good);
            bool ok = cipher.TryDecrypt(bad, plain, out int length);
            Assert.True(!ok || bad.AsSpan().SequenceEqual(good), $"seed {Seed} iteration {i}: a mutated message decrypted");
            Assert.True(ok || length == 0, $"seed {Seed} iteration {i}");
            SmbCipher.TryReadHeader(bad, out _, out _);
        }
    }
}
