using System.Text;
using Gateway.Smb.Protocol;
using Gateway.Smb.Server;

namespace Gateway.Smb.Commands;

// MS-SMB2 3.3.5.3.1: an SMB1 NEGOTIATE (0xFF 'S' 'M' 'B', command 0x72) that offers "SMB 2.???"
// is answered with an SMB2 NEGOTIATE response naming the wildcard dialect 0x02FF (the client then
// sends an SMB2 NEGOTIATE); one that offers only "SMB 2.002" gets dialect 2.0.2 at once. Anything
// else: no SMB1 here, the connection is dropped.
//   SMB1 header (32 bytes): 4 Command ... ; then WordCount (1), ByteCount (2), dialects: 0x02 "name" 0x00.
internal static class Smb1Negotiate
{
    public static bool Handle(SmbConnection c, ReadOnlySpan<byte> message)
    {
        if (message.Length < 35 || message[4] != 0x72)
            return false;
        var byteCount = Wire.U16(message, 33);
        var data = message[35..];
        if (byteCount < data.Length)
            data = data[..byteCount];
        bool wildcard = false, smb2002 = false;
        while (data.Length > 1 && data[0] == 0x02)
        {
            var end = data[1..].IndexOf((byte)0);
            if (end < 0)
                break;
            var name = Encoding.ASCII.GetString(data.Slice(1, end));
            wildcard |= name == "SMB 2.???";
            smb2002 |= name == "SMB 2.002";
            data = data[(end + 2)..];
        }
        if (!wildcard && !smb2002)
            return false;
        if (!c.Credits.TryConsume(0, 1))
            return false;
        ushort dialect;
        if (wildcard)
        {
            dialect = NegotiateCommand.WildcardDialect;
            c.WildcardNegotiated = true;
            c.Negotiated = true;
            c.Dialect = Gateway.Smb.SmbDialect.Smb210; // large MTU rules for what follows; NEGOTIATE resets it
        }
        else
        {
            dialect = 0x0202;
            c.Dialect = Gateway.Smb.SmbDialect.Smb202;
            c.ClientDialects = [0x0202];
            c.Negotiated = true;
        }
        c.ServerSecurityMode = (ushort)(NegotiateCommand.SigningEnabled | (c.Server.Options.SigningRequired ? NegotiateCommand.SigningRequired : 0));
        using var r = NegotiateCommand.Build(c.Server, c, dialect, contexts: false, null, null);
        var credits = c.Credits.Grant(1);
        Smb2Header.WriteResponse(r.Buffer, Smb2Command.Negotiate, NtStatus.Success, 0, credits, 0, 0, 0, 0, 0, 0);
        c.SendRaw(r.Buffer.AsSpan(0, r.MessageLength));
        return true;
    }
}
