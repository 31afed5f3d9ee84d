using System.Buffers.Binary;
using Gateway.Smb.DceRpc;
using static Gateway.Smb.Tests.DceRpc.Pdus;

namespace Gateway.Smb.Tests.DceRpc;

/// <summary>
/// Random and mutated input into Write, then Read: nothing throws, and whatever comes out is a
/// well-formed PDU of a type a server may send (a FAULT or BIND_NAK for garbage).
/// </summary>
public class FuzzTests
{
    private static readonly byte[][] Seeds =
    [
        Convert.FromHexString(SmbclientBind),
        Convert.FromHexString(SmbclientShareEnum),
        Request(3, 0, 16, NetrShareGetInfoStub("data", 2)),
        Request(4, 0, 21, BindTests.ServerGetInfoStub(101)),
        Bind(5, 5840, 5840,
            new Context(0, Srvsvc, 3, 0, (Ndr, 2)),
            new Context(1, Srvsvc, 3, 0, (Ndr64, 1)),
            new Context(2, Srvsvc, 3, 0, (BindTimeFeatures, 1))),
        AlterContext(6, new Context(1, Srvsvc, 3, 0, (Ndr, 2))),
    ];

    // NetrShareGetInfo: null ServerName, NetName as a [string] (no referent id), Level.
    private static byte[] NetrShareGetInfoStub(string name, uint level)
    {
        var w = new List<byte>();
        w.AddRange(BitConverter.GetBytes(0u));
        uint count = (uint)name.Length + 1;
        w.AddRange(BitConverter.GetBytes(count));
        w.AddRange(BitConverter.GetBytes(0u));
        w.AddRange(BitConverter.GetBytes(count));
        w.AddRange(System.Text.Encoding.Unicode.GetBytes(name + "\0"));
        while (w.Count % 4 != 0) w.Add(0);
        w.AddRange(BitConverter.GetBytes(level));
        return w.ToArray();
    }

    private static void CheckOutput(NamedPipeEndpoint pipe, bool garbageOnly)
    {
        foreach (byte[] pdu in ReadAll(pipe, chunk: 1000))
        {
            Assert.True(pdu.Length >= 16);
            Assert.Equal(5, pdu[0]);
            Assert.Equal(0, pdu[1]);
            Assert.Equal(0x10, pdu[4]);
            Assert.Equal(pdu.Length, FragLength(pdu));
            byte type = Type(pdu);
            if (garbageOnly)
            {
                Assert.True(type is 3 or 13, $"type {type} for garbage");
            }
            else
            {
                Assert.True(type is 2 or 3 or 12 or 13 or 15, $"type {type}");
            }

            if (type == 3) Assert.Equal(32, pdu.Length);
        }
    }

    [Fact]
    public void RandomBytes()
    {
        var random = new Random(20261124);
        for (int i = 0; i < 20000; i++)
        {
            NamedPipeEndpoint pipe = OpenSrvsvc();
            if (i % 2 == 0)
            {
                pipe.Write(Seeds[0]);
                ReadAll(pipe);
            }

            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (junk.Length > 0 && random.Next(3) == 0) junk[0] = 5; // get past the version check
            pipe.Write(junk);
            CheckOutput(pipe, garbageOnly: junk.Length < 3 || junk[0] != 5 || junk[2] is not (0 or 11 or 14));
        }
    }

    [Fact]
    public void MutatedConversations()
    {
        var random = new Random(42);
        for (int i = 0; i < 20000; i++)
        {
            NamedPipeEndpoint pipe = OpenSrvsvc();
            foreach (byte[] seed in Seeds)
            {
                byte[] pdu = (byte[])seed.Clone();
                switch (random.Next(4))
                {
                    case 0:
                        for (int k = random.Next(1, 8); k > 0; k--) pdu[random.Next(pdu.Length)] = (byte)random.Next(256);
                        break;
                    case 1:
                        pdu = pdu.AsSpan(0, random.Next(pdu.Length)).ToArray();
                        break;
                    case 2:
                        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), (ushort)random.Next(0, pdu.Length + 40));
                        break;
                }

                // Split the bytes across several writes at random points.
                int at = 0;
                while (at < pdu.Length)
                {
                    int n = random.Next(1, pdu.Length - at + 1);
                    pipe.Write(pdu.AsSpan(at, n));
                    at += n;
                }

                CheckOutput(pipe, garbageOnly: false);
            }
        }
    }

    // Well-framed REQUESTs with random stubs: the NDR decoders get the garbage.
    [Fact]
    public void RandomStubsInValidRequests()
    {
        var random = new Random(7);
        NamedPipeEndpoint pipe = OpenSrvsvc();
        pipe.Write(Seeds[0]);
        ReadAll(pipe);
        ushort[] opnums = [15, 16, 21];
        for (int i = 0; i < 30000; i++)
        {
            byte[] stub;
            if (random.Next(2) == 0)
            {
                stub = new byte[random.Next(0, 200)];
                random.NextBytes(stub);
            }
            else
            {
                byte[] seed = Seeds[random.Next(1, 4)];
                stub = seed.AsSpan(24).ToArray();
                for (int k = random.Next(1, 6); k > 0 && stub.Length > 0; k--) stub[random.Next(stub.Length)] = (byte)random.Next(256);
            }

            pipe.Write(Request((uint)i, 0, opnums[random.Next(opnums.Length)], stub));
            List<byte[]> answer = ReadAll(pipe);
            Assert.NotEmpty(answer);
            Assert.All(answer, pdu => Assert.Equal((uint)i, CallId(pdu)));
            Assert.True(Type(answer[0]) is 2 or 3);
            if (Type(answer[0]) == 3) Assert.Equal(0x000006F7u, FaultStatus(answer[0]));
        }
    }
}
