using System.Buffers;

namespace Gateway.Rpc;

// A procedure handler. It decodes its arguments with `new XdrReader(arguments.Span)`
// (throwing XdrException on bad input, which the dispatcher answers with GARBAGE_ARGS),
// does its work, and encodes its results with `new XdrWriter(results)` after the reply
// header the dispatcher has already written. RpcAuthException is answered with
// AUTH_ERROR; any other exception with SYSTEM_ERR and a log line; the connection stays up.
// `arguments` is a slice of a pooled record, valid only until the returned task completes.
public delegate ValueTask RpcProcedureHandler(RpcCallContext context, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results);

// One row of a program's descriptor table (ganesha's nfs3_func_desc[]: the service
// function, its name for logs, its dispatch behaviour flags).
public sealed class ProcedureDescriptor
{
    public ProcedureDescriptor(uint procedure, string name, RpcProcedureHandler handler, ProcedureFlags flags = ProcedureFlags.None)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(handler);
        Procedure = procedure;
        Name = name;
        Handler = handler;
        Flags = flags;
    }

    public uint Procedure { get; }

    public string Name { get; }

    public RpcProcedureHandler Handler { get; }

    public ProcedureFlags Flags { get; }

    public bool IsNonIdempotent => (Flags & ProcedureFlags.NonIdempotent) != 0;

    // The NULL procedure every program has (RFC 5531 §12: procedure 0 takes no arguments
    // and returns nothing; clients use it to ping).
    public static ProcedureDescriptor Null(string name = "NULL") => new(0, name, static (_, _, _) => ValueTask.CompletedTask);

    // Builds the array a version's table is: indexed by procedure number, gaps are null
    // (PROC_UNAVAIL). Throws on two rows with the same number.
    public static ProcedureDescriptor?[] Table(params ProcedureDescriptor[] procedures)
    {
        ArgumentNullException.ThrowIfNull(procedures);
        uint max = 0;
        foreach (ProcedureDescriptor p in procedures)
        {
            max = Math.Max(max, p.Procedure);
        }

        var table = new ProcedureDescriptor?[procedures.Length == 0 ? 0 : max + 1];
        foreach (ProcedureDescriptor p in procedures)
        {
            if (table[p.Procedure] is not null)
            {
                throw new ArgumentException($"procedure {p.Procedure} is listed twice", nameof(procedures));
            }

            table[p.Procedure] = p;
        }

        return table;
    }
}
