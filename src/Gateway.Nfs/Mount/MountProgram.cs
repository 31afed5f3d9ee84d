using System.Buffers;
using Gateway.Nfs.Mount.Procedures;
using Gateway.Rpc;

namespace Gateway.Nfs.Mount;

/// <summary>
/// MOUNT (RFC 1813 §5), program 100005: how an NFSv3 client gets the root handle of an export.
/// Version 3 for NFSv3 clients, and versions 1 and 2 with the v1 procedures (MNT with a 32-byte
/// fhandle, DUMP, UMNT, UMNTALL, EXPORT), which tools such as showmount still use.
/// Version 2's PATHCONF (procedure 7) is not served: PROC_UNAVAIL.
/// </summary>
public sealed class MountProgram : IRpcProgram
{
    public const uint ProgramNumber = 100005;

    private readonly MountContext _mount;
    private readonly ProcedureDescriptor?[] _v1;
    private readonly ProcedureDescriptor?[] _v3;

    public MountProgram(NfsExports exports, NfsHandleCodec codec, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(exports);
        ArgumentNullException.ThrowIfNull(codec);
        _mount = new MountContext(exports, codec, log);
        _v1 = Table(Mnt.HandleV1);
        _v3 = Table(Mnt.HandleV3);
    }

    public uint Program => ProgramNumber;

    public uint MinVersion => 1;

    public uint MaxVersion => 3;

    public string Name => "MOUNT";

    /// <summary>The mount list as DUMP reports it (for status output).</summary>
    public IReadOnlyList<MountEntry> Mounts => _mount.Mounts.Snapshot();

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) => version == 3 ? _v3 : _v1;

    private delegate ValueTask MountHandler(MountContext mount, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results);

    private ProcedureDescriptor?[] Table(MountHandler mnt) => ProcedureDescriptor.Table(
        ProcedureDescriptor.Null(),
        Row(1, "MNT", mnt),
        Row(2, "DUMP", Dump.Handle),
        Row(3, "UMNT", Umnt.Handle),
        Row(4, "UMNTALL", UmntAll.Handle),
        Row(5, "EXPORT", Export.Handle));

    private ProcedureDescriptor Row(uint procedure, string name, MountHandler handler) =>
        new(procedure, name, (call, arguments, results) => handler(_mount, call, arguments, results));
}
