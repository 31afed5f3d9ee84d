using System.Buffers;

namespace Gateway.Rpc.Tests.Support;

// A program for dispatcher and server tests: fast and slow procedures for ordering, one
// that throws, one that counts its executions for the duplicate request cache.
internal sealed class TestProgram : IRpcProgram
{
    public const uint Number = 0x2000_0001; // RFC 5531 §8.3: 0x20000000-0x3fffffff is user-defined
    public const uint NULL = 0;
    public const uint SLOW = 1;     // uint → the same uint, after SlowDelay
    public const uint FAST = 2;     // uint → the same uint
    public const uint ADD = 3;      // int, int → int
    public const uint THROW = 4;    // → SYSTEM_ERR
    public const uint COUNTED = 5;  // uint delayMs → execution count (NonIdempotent)
    public const uint WHOAMI = 6;   // → uid (NeedsCredential)
    public const uint ECHO = 7;     // opaque<1024> → the same opaque

    private readonly ProcedureDescriptor?[] _table;
    private int _counted;

    public TestProgram()
    {
        _table = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null(),
            new(SLOW, "SLOW", SlowAsync),
            new(FAST, "FAST", Fast),
            new(ADD, "ADD", Add),
            new(THROW, "THROW", static (_, _, _) => throw new InvalidOperationException("boom")),
            new(COUNTED, "COUNTED", CountedAsync, ProcedureFlags.NonIdempotent | ProcedureFlags.MakesWrite),
            new(WHOAMI, "WHOAMI", WhoAmI, ProcedureFlags.NeedsCredential),
            new(ECHO, "ECHO", Echo));
    }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromMilliseconds(400);

    public int MaxCountedDelayMs { get; init; } = 5000;

    public int CountedExecutions => Volatile.Read(ref _counted);

    public uint Program => Number;

    public uint MinVersion => 1;

    public uint MaxVersion => 2;

    public string Name => "test";

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => _table;

    private async ValueTask SlowAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        uint value = ReadSingle(arguments.Span);
        await Task.Delay(SlowDelay, context.CancellationToken);
        Write(results, value);
    }

    private static ValueTask Fast(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        Write(results, ReadSingle(arguments.Span));
        return ValueTask.CompletedTask;
    }

    private static ValueTask Add(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        int sum = reader.ReadInt32() + reader.ReadInt32();
        reader.EnsureFullyConsumed();
        var writer = new XdrWriter(results);
        writer.WriteInt32(sum);
        return ValueTask.CompletedTask;
    }

    private async ValueTask CountedAsync(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        uint delayMs = ReadSingle(arguments.Span);
        int count = Interlocked.Increment(ref _counted);
        if (delayMs > 0)
        {
            await Task.Delay((int)Math.Min(delayMs, (uint)MaxCountedDelayMs), context.CancellationToken);
        }

        Write(results, (uint)count);
    }

    private static ValueTask WhoAmI(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        Write(results, context.Credential.AuthSys!.Uid);
        return ValueTask.CompletedTask;
    }

    private static ValueTask Echo(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results)
    {
        var reader = new XdrReader(arguments.Span);
        ReadOnlySpan<byte> data = reader.ReadOpaque(1024);
        reader.EnsureFullyConsumed();
        var writer = new XdrWriter(results);
        writer.WriteOpaque(data);
        return ValueTask.CompletedTask;
    }

    private static uint ReadSingle(ReadOnlySpan<byte> arguments)
    {
        var reader = new XdrReader(arguments);
        uint value = reader.ReadUInt32();
        reader.EnsureFullyConsumed();
        return value;
    }

    private static void Write(IBufferWriter<byte> results, uint value)
    {
        var writer = new XdrWriter(results);
        writer.WriteUInt32(value);
    }
}
