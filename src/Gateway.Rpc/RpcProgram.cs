namespace Gateway.Rpc;

// An ONC RPC program served by the dispatcher (NFS 100003, MOUNT 100005, NLM 100021,
// the portmapper 100000 ...). Versions MinVersion..MaxVersion are served; a call for any
// other version gets PROG_MISMATCH with this range.
public interface IRpcProgram
{
    uint Program { get; }

    uint MinVersion { get; }

    uint MaxVersion { get; }

    // For logs.
    string Name { get; }

    // The descriptor table of a version in range: index = procedure number, null or out
    // of range = PROC_UNAVAIL. Called per call, so return a table built once.
    IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version);
}
