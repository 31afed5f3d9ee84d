using System.Diagnostics;
using Gateway.Rpc.Portmap;
using Gateway.Rpc.Tests.Support;
using Xunit.Abstractions;

namespace Gateway.Rpc.Tests;

// Random and mutated records against one live server over a few connections. Bounded in
// count and time; the seed is printed so a failure can be replayed by fixing it here.
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 0x0517_2026;
    private const int Workers = 4;
    private const int RecordsPerWorker = 5000;
    private const int BatchSize = 40;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private static readonly uint[] InterestingWords =
    [
        0, 1, 2, 3, 4, 5, 6, 16, 17, 255, 256, 400, 401, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        TestProgram.Number, PortmapConstants.Program, 100003,
    ];

    [Fact]
    public async Task Random_and_mutated_records_never_take_the_server_down()
    {
        output.WriteLine($"seed 0x{Seed:x8}, {Workers} connections x {RecordsPerWorker} records, budget {Budget.TotalSeconds} s");
        var program = new TestProgram { SlowDelay = TimeSpan.FromMilliseconds(1), MaxCountedDelayMs = 5 };
        await using ServerFixture f = ServerFixture.Start(program, new RpcServerOptions { MaxRecordSize = 64 * 1024 },
            cache: null, new PortmapProgram(new PortmapRegistry()));
        var clock = Stopwatch.StartNew();

        Stats[] stats = await Task.WhenAll(Enumerable.Range(0, Workers)
            .Select(w => Task.Run(() => RunWorkerAsync(f.Port, new Random(Seed + w), clock))));

        int sent = stats.Sum(s => s.Sent), replies = stats.Sum(s => s.Replies), closes = stats.Sum(s => s.Closes);
        output.WriteLine($"sent {sent} records in {clock.Elapsed.TotalSeconds:0.0} s: {replies} replies, {closes} connections closed by the server");
        Assert.True(sent >= 1000, $"only {sent} records sent within the budget");
        Assert.True(replies > 0);

        // Afterwards a well-formed client still gets a correct answer.
        await using RawRpcClient client = await f.ConnectAsync();
        await client.SendAsync(Calls.Record(0xC0FFEE, TestProgram.Number, 1, TestProgram.ADD, Calls.Words(40, 2)));
        Reply reply = Reply.Parse(await client.ReadReplyAsync());
        Assert.Equal(0xC0FFEEu, reply.Xid);
        Assert.Equal(Calls.Words(42), reply.ResultBytes);

        // Every SYSTEM_ERR came from the procedure that throws on purpose, not from a decoder bug.
        foreach (string line in f.Log)
        {
            Assert.False(line.Contains("unexpected error", StringComparison.Ordinal), line);
            Assert.False(line.Contains("SYSTEM_ERR", StringComparison.Ordinal) && !line.Contains("THROW", StringComparison.Ordinal), line);
        }
    }

    private static async Task<Stats> RunWorkerAsync(int port, Random random, Stopwatch clock)
    {
        var stats = new Stats();
        uint sentinelXid = 0xF000_0000;
        while (stats.Sent < RecordsPerWorker && clock.Elapsed < Budget)
        {
            await using RawRpcClient client = await RawRpcClient.ConnectAsync(port);
            bool breakFraming = random.Next(10) == 0;
            var wire = new List<byte>();
            for (int i = 0; i < BatchSize; i++)
            {
                byte[] message = NextMessage(random);
                wire.AddRange(breakFraming && random.Next(4) == 0 ? RandomFraming(random, message)
                    : random.Next(5) == 0 ? Fragmented(random, message)
                    : Calls.Record(message));
                stats.Sent++;
            }

            uint sentinel = sentinelXid++;
            wire.AddRange(Calls.Record(sentinel, TestProgram.Number, 1, TestProgram.FAST, Calls.Words(sentinel)));
            try
            {
                await SendInPiecesAsync(client, random, [.. wire]);
            }
            catch (IOException) when (breakFraming)
            {
                // The server closed the connection on bad framing while we were still writing.
                stats.Closes++;
                continue;
            }

            if (breakFraming)
            {
                // The framing may leave the server waiting for a record that never ends:
                // the half-close tells it no more is coming.
                try
                {
                    client.ShutdownSend();
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // Already closed by the server: read the close below.
                }
            }

            while (true)
            {
                byte[]? record = await client.ReadRecordAsync(ReplyTimeout);
                if (record is null)
                {
                    Assert.True(breakFraming, "the server closed a connection whose framing was valid");
                    stats.Closes++;
                    break;
                }

                Reply reply = Reply.Parse(record); // every reply is a well-formed REPLY
                stats.Replies++;
                if (reply.Xid == sentinel && reply.IsSuccess && reply.ResultBytes.AsSpan().SequenceEqual(Calls.Words(sentinel)))
                {
                    break;
                }
            }
        }

        return stats;
    }

    // A valid call, then maybe mutated: bytes flipped, a word replaced by an edge value,
    // truncated, extended; or plain random bytes.
    private static byte[] NextMessage(Random random)
    {
        if (random.Next(8) == 0)
        {
            var noise = new byte[random.Next(0, 160)];
            random.NextBytes(noise);
            return noise;
        }

        byte[] message = ValidCall(random);
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations && message.Length > 0; m++)
        {
            switch (random.Next(4))
            {
                case 0:
                    message[random.Next(message.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when message.Length >= 4:
                    int word = random.Next(message.Length / 4) * 4;
                    Calls.Words(InterestingWords[random.Next(InterestingWords.Length)]).CopyTo(message, word);
                    break;
                case 2:
                    message = message[..random.Next(message.Length)];
                    break;
                default:
                    var tail = new byte[random.Next(1, 12)];
                    random.NextBytes(tail);
                    message = [.. message, .. tail];
                    break;
            }
        }

        return message;
    }

    private static byte[] ValidCall(Random random)
    {
        uint xid = (uint)random.Next();
        AuthSysParams? credential = random.Next(2) == 0 ? Calls.Sys((uint)random.Next(2000)) : null;
        return random.Next(9) switch
        {
            0 => Calls.Message(xid, TestProgram.Number, 1, TestProgram.NULL, credential: credential),
            1 => Calls.Message(xid, TestProgram.Number, 2, TestProgram.ADD, Calls.Words((uint)random.Next(), 5), credential),
            2 => Calls.Message(xid, TestProgram.Number, 1, TestProgram.ECHO, [.. Calls.Words(3), 1, 2, 3, 0], credential),
            3 => Calls.Message(xid, TestProgram.Number, 1, TestProgram.COUNTED, Calls.Words(0), credential),
            4 => Calls.Message(xid, TestProgram.Number, 1, TestProgram.WHOAMI, credential: credential),
            5 => Calls.Message(xid, TestProgram.Number, 1, TestProgram.THROW, credential: credential),
            6 => Calls.Message(xid, PortmapConstants.Program, 2, PortmapConstants.PMAPPROC_GETPORT, Calls.Words(100003, 3, 6, 0), credential),
            7 => Calls.Message(xid, PortmapConstants.Program, 4, PortmapConstants.RPCBPROC_SET,
                [.. Calls.Words(100003, 3, 3), .. "tcp\0"u8, .. Calls.Words(11), .. "0.0.0.0.8.1\0"u8, .. Calls.Words(0)], credential),
            _ => Calls.Message(xid, PortmapConstants.Program, 3, PortmapConstants.RPCBPROC_DUMP, credential: credential),
        };
    }

    // A valid record cut into several fragments (RFC 5531 §11), some of them empty.
    private static byte[] Fragmented(Random random, byte[] message)
    {
        var wire = new List<byte>();
        int offset = 0;
        while (true)
        {
            int length = random.Next(0, message.Length - offset + 1);
            bool last = offset + length == message.Length && random.Next(2) == 0;
            wire.AddRange(Calls.Words((uint)length | (last ? RecordMarking.LastFragmentBit : 0)));
            wire.AddRange(message.AsSpan(offset, length).ToArray());
            offset += length;
            if (last)
            {
                return [.. wire];
            }
        }
    }

    // Several writes, so records arrive split across reads at random places.
    private static async Task SendInPiecesAsync(RawRpcClient client, Random random, byte[] wire)
    {
        int offset = 0;
        for (int pieces = random.Next(1, 8); pieces > 1 && offset < wire.Length; pieces--)
        {
            int length = random.Next(0, wire.Length - offset);
            await client.SendAsync(wire[offset..(offset + length)]);
            offset += length;
        }

        await client.SendAsync(wire[offset..]);
    }

    // Record marks a client should never send: lengths that lie, non-last fragments,
    // lengths far above the limit.
    private static byte[] RandomFraming(Random random, byte[] message)
    {
        uint header = random.Next(4) switch
        {
            0 => InterestingWords[random.Next(InterestingWords.Length)],
            1 => (uint)message.Length + (uint)random.Next(1, 64) | RecordMarking.LastFragmentBit,
            2 => (uint)message.Length, // not last: the next record is swallowed as a fragment
            _ => (uint)random.Next() | (random.Next(2) == 0 ? RecordMarking.LastFragmentBit : 0),
        };
        return [.. Calls.Words(header), .. message];
    }

    private sealed class Stats
    {
        public int Sent { get; set; }

        public int Replies { get; set; }

        public int Closes { get; set; }
    }
}
