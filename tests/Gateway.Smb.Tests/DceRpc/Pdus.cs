using System.Buffers.Binary;
using Gateway.Smb.DceRpc;

namespace Gateway.Smb.Tests.DceRpc;

/// <summary>PDUs built by hand from C706/MS-RPCE, and a reader for what the endpoint answers.</summary>
internal static class Pdus
{
    public static readonly Guid Srvsvc = new("4b324fc8-1670-01d3-1278-5a47bf6ee188");
    public static readonly Guid Ndr = new("8a885d04-1ceb-11c9-9fe8-08002b104860");
    public static readonly Guid Ndr64 = new("71710533-beba-4937-8319-b5dbef9ccc36");
    public static readonly Guid BindTimeFeatures = new("6cb71c2c-9812-4540-0300-000000000000");

    // Captured from `smbclient -L //127.0.0.1 -N` (Samba 4.17) against smbd: its BIND and NetrShareEnum level 1.
    public const string SmbclientBind =
        "05000b03100000004800000001000000b810b810000000000100000000000100c84f324b7016d30112785a47bf6ee188" +
        "03000000045d888aeb1cc9119fe808002b10486002000000";
    public const string SmbclientShareEnum =
        "05000003100000005c000000020000004400000000000f00000002000a000000000000000a0000003100320037002e00" +
        "30002e0030002e00310000000100000001000000040002000000000000000000ffffffff0800020000000000";

    public record struct Context(ushort Id, Guid Abstract, ushort Major, ushort Minor, params (Guid Uuid, ushort Major)[] Transfers);

    public static byte[] Bind(uint callId, ushort maxXmit, ushort maxRecv, params Context[] contexts) =>
        BindLike(11, callId, maxXmit, maxRecv, contexts);

    public static byte[] AlterContext(uint callId, params Context[] contexts) => BindLike(14, callId, 4280, 4280, contexts);

    private static byte[] BindLike(byte type, uint callId, ushort maxXmit, ushort maxRecv, Context[] contexts)
    {
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(maxXmit));
        body.AddRange(BitConverter.GetBytes(maxRecv));
        body.AddRange(BitConverter.GetBytes(0u));
        body.AddRange([(byte)contexts.Length, 0, 0, 0]);
        foreach (Context c in contexts)
        {
            body.AddRange(BitConverter.GetBytes(c.Id));
            body.AddRange([(byte)c.Transfers.Length, 0]);
            body.AddRange(c.Abstract.ToByteArray());
            body.AddRange(BitConverter.GetBytes(c.Major));
            body.AddRange(BitConverter.GetBytes(c.Minor));
            foreach (var (uuid, major) in c.Transfers)
            {
                body.AddRange(uuid.ToByteArray());
                body.AddRange(BitConverter.GetBytes((uint)major));
            }
        }

        return WithHeader(type, 0x03, callId, body.ToArray());
    }

    public static byte[] Request(uint callId, ushort contextId, ushort opnum, ReadOnlySpan<byte> stub, byte flags = 0x03)
    {
        var body = new byte[8 + stub.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)stub.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), contextId);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), opnum);
        stub.CopyTo(body.AsSpan(8));
        return WithHeader(0, flags, callId, body);
    }

    public static byte[] WithHeader(byte type, byte flags, uint callId, byte[] body)
    {
        var pdu = new byte[16 + body.Length];
        pdu[0] = 5;
        pdu[2] = type;
        pdu[3] = flags;
        pdu[4] = 0x10;
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), (ushort)pdu.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(12), callId);
        body.CopyTo(pdu, 16);
        return pdu;
    }

    /// <summary>Reads every pending PDU (one Read loop per PDU, message mode).</summary>
    public static List<byte[]> ReadAll(NamedPipeEndpoint pipe, int chunk = 65536)
    {
        var pdus = new List<byte[]>();
        var buffer = new byte[chunk];
        while (pipe.HasOutput)
        {
            var message = new List<byte>();
            bool more;
            do
            {
                int n = pipe.Read(buffer, out more);
                message.AddRange(buffer.AsSpan(0, n).ToArray());
            }
            while (more);
            pdus.Add(message.ToArray());
        }

        return pdus;
    }

    public static byte[] Single(NamedPipeEndpoint pipe)
    {
        List<byte[]> all = ReadAll(pipe);
        Assert.Single(all);
        return all[0];
    }

    public static byte Type(byte[] pdu) => pdu[2];

    public static byte Flags(byte[] pdu) => pdu[3];

    public static int FragLength(byte[] pdu) => BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(8));

    public static uint CallId(byte[] pdu) => BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(12));

    public static uint FaultStatus(byte[] pdu)
    {
        Assert.Equal(3, Type(pdu));
        Assert.Equal(32, pdu.Length);
        return BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(24));
    }

    /// <summary>Joins the stubs of a fragmented RESPONSE, checking flags, alloc_hint and call id on the way.</summary>
    public static byte[] ResponseStub(List<byte[]> fragments, uint callId)
    {
        var stub = new List<byte>();
        int total = fragments.Sum(f => f.Length - 24);
        for (int i = 0; i < fragments.Count; i++)
        {
            byte[] f = fragments[i];
            Assert.Equal(2, Type(f));
            Assert.Equal(callId, CallId(f));
            Assert.Equal(f.Length, FragLength(f));
            Assert.Equal(i == 0, (Flags(f) & 1) != 0);
            Assert.Equal(i == fragments.Count - 1, (Flags(f) & 2) != 0);
            Assert.Equal((uint)(total - stub.Count), BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(16)));
            stub.AddRange(f.AsSpan(24).ToArray());
        }

        return stub.ToArray();
    }

    public static NamedPipeEndpoint OpenSrvsvc(IReadOnlyList<ShareInfo>? shares = null) =>
        NamedPipeEndpoint.Open("srvsvc", () => shares ?? DefaultShares, "GATEWAY")!;

    public static readonly ShareInfo[] DefaultShares =
    [
        new("data", ShareInfo.DiskTree, "Some data share"),
        new("IPC$", ShareInfo.Ipc, "IPC Service"),
    ];
}
