using Gateway.Nfs.V3.Procedures;
using Gateway.Rpc;
using P = Gateway.Nfs.V3.Nfs3Procedure;

namespace Gateway.Nfs.V3;

/// <summary>
/// NFS version 3 (RFC 1813), program 100003. Only version 3: a call for 2 or 4 gets PROG_MISMATCH 3..3
/// from the dispatcher. The table is ganesha's nfs3_func_desc[]: one row per procedure, with the
/// behaviour the dispatcher needs. Procedures whose second execution would give another answer
/// (a retransmitted REMOVE would say NOENT) are NonIdempotent: their replies are kept in the
/// duplicate request cache, as Linux nfsd keeps them (RC_REPLBUFF), WRITE and SETATTR included.
/// </summary>
public sealed class Nfs3Program : IRpcProgram
{
    private const ProcedureFlags Modifies = ProcedureFlags.NonIdempotent | ProcedureFlags.MakesWrite;

    private readonly ProcedureDescriptor?[] _v3;

    public Nfs3Program(NfsExports exports, NfsHandleCodec codec, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(exports);
        ArgumentNullException.ThrowIfNull(codec);
        var nfs = new Nfs3Context(exports, codec, log);
        _v3 = ProcedureDescriptor.Table(
            ProcedureDescriptor.Null(),
            Row(nfs, P.GETATTR, GetAttr.Handle),
            Row(nfs, P.SETATTR, SetAttr.Handle, Modifies),
            Row(nfs, P.LOOKUP, Lookup.Handle),
            Row(nfs, P.ACCESS, Access.Handle),
            Row(nfs, P.READLINK, ReadLink.Handle),
            Row(nfs, P.READ, Read.Handle),
            Row(nfs, P.WRITE, Write.Handle, Modifies),
            Row(nfs, P.CREATE, Create.Handle, Modifies),
            Row(nfs, P.MKDIR, MkDir.Handle, Modifies),
            Row(nfs, P.SYMLINK, Symlink.Handle, Modifies),
            Row(nfs, P.MKNOD, MkNod.Handle, Modifies),
            Row(nfs, P.REMOVE, Remove.Handle, Modifies),
            Row(nfs, P.RMDIR, RmDir.Handle, Modifies),
            Row(nfs, P.RENAME, Rename.Handle, Modifies),
            Row(nfs, P.LINK, Link.Handle, Modifies),
            Row(nfs, P.READDIR, ReadDir.Handle),
            Row(nfs, P.READDIRPLUS, ReadDirPlus.Handle),
            Row(nfs, P.FSSTAT, FsStat.Handle),
            Row(nfs, P.FSINFO, FsInfo.Handle),
            Row(nfs, P.PATHCONF, PathConf.Handle),
            // COMMIT changes durability, not content: running it twice is harmless.
            Row(nfs, P.COMMIT, Commit.Handle, ProcedureFlags.MakesWrite));
    }

    public uint Program => Nfs3.Program;

    public uint MinVersion => Nfs3.Version;

    public uint MaxVersion => Nfs3.Version;

    public string Name => "NFS";

    public IReadOnlyList<ProcedureDescriptor?> GetProcedures(uint version) =>
        version == Nfs3.Version ? _v3 : Array.Empty<ProcedureDescriptor?>();

    private static ProcedureDescriptor Row(Nfs3Context nfs, P procedure, Nfs3Handler handler, ProcedureFlags flags = ProcedureFlags.None) =>
        new((uint)procedure, procedure.ToString(), (call, arguments, results) => handler(nfs, call, arguments, results), flags);
}
