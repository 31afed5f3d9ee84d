namespace Gateway.Rpc.Tests.Support;

// A program with only its NULL procedure, e.g. NFS (100003) v3 for wire vectors.
internal sealed class NullOnlyProgram(uint program, uint minVersion, uint maxVersion) : IRpcProgram
{
    private readonly ProcedureDescriptor?[] _table = ProcedureDescriptor.Table(ProcedureDescriptor.Null());

    public uint Program => program;

    public uint MinVersion => minVersion;

    public uint MaxVersion => maxVersion;

    public string Name => $"null-{program}";

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => _table;
}
