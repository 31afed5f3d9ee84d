using System.Buffers;
using Gateway.Nfs.V3.Xdr;
using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.V3;

/// <summary>A procedure handler: arguments → one Vfs call → status map → results (attributes after).</summary>
internal delegate ValueTask Nfs3Handler(Nfs3Context nfs, RpcCallContext call, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> results);

/// <summary>A file handle that passed every check: the export, the node, and who the call acts as.</summary>
internal readonly record struct Nfs3Target(NfsExport Export, NodeId Node, Principal Caller)
{
    public IVfs Vfs => Export.Vfs;

    /// <summary>False for the default value a failed <see cref="Nfs3Context.Resolve"/> leaves.</summary>
    public bool IsResolved => Export is not null;

    public ulong FsId => Export?.FsId ?? 0;

    /// <summary>Attributes for a post_op_attr: null when they cannot be had (the reply then says so).</summary>
    public VfsAttributes? Attributes() => AttributesOf(Node);

    public VfsAttributes? AttributesOf(NodeId node) => Vfs.GetAttr(node) is { IsOk: true } r ? r.Value : null;
}

/// <summary>What every NFSv3 procedure shares: the exports, the handle codec, the status map with logging.</summary>
internal sealed class Nfs3Context
{
    public Nfs3Context(NfsExports exports, NfsHandleCodec codec, Action<string>? log)
    {
        Exports = exports;
        Codec = codec;
        Log = log;
    }

    public NfsExports Exports { get; }

    public NfsHandleCodec Codec { get; }

    public Action<string>? Log { get; }

    /// <summary>
    /// Every handle goes through here: the codec (forged or malformed → BADHANDLE), the export
    /// (a valid MAC for an export no longer served → STALE), the export's host list (→ ACCES),
    /// then the caller's identity under the export's squash policy. Whether the node still
    /// exists is the Vfs's answer on the first call (STALE, or BADHANDLE for another export's node).
    /// </summary>
    public Nfs3Status Resolve(RpcCallContext call, ReadOnlySpan<byte> handle, out Nfs3Target target)
    {
        target = default;
        if (Codec.Decode(handle, out var exportId, out var node) != VfsStatus.Ok) return Nfs3Status.NFS3ERR_BADHANDLE;
        if (Exports.FindById(exportId) is not { } export) return Nfs3Status.NFS3ERR_STALE;
        if (!export.Admits(call.Connection.RemoteAddress))
        {
            Log?.Invoke($"nfs3 {Name(call)} from {call.Connection}: host not allowed on export {export.Name}");
            return Nfs3Status.NFS3ERR_ACCES;
        }
        target = new Nfs3Target(export, node, export.PrincipalFor(call.Credential));
        return Nfs3Status.NFS3_OK;
    }

    /// <summary>Two handles of one call (RENAME, LINK) must be in one export: XDEV otherwise.</summary>
    public static Nfs3Status SameExport(in Nfs3Target a, in Nfs3Target b) =>
        ReferenceEquals(a.Export, b.Export) ? Nfs3Status.NFS3_OK : Nfs3Status.NFS3ERR_XDEV;

    /// <summary><see cref="Nfs3StatusMap.Map"/>, with a log line for an I/O error (nfs3_Errno_verbose).</summary>
    /// <summary>The start of every one-object procedure: the handle's target and its current attributes.</summary>
    public Nfs3Status ResolveWithAttributes(RpcCallContext call, ReadOnlySpan<byte> handle, out Nfs3Target target, out VfsResult<VfsAttributes> attributes)
    {
        attributes = default;
        var status = Resolve(call, handle, out target);
        if (status != Nfs3Status.NFS3_OK) return status;
        attributes = target.Vfs.GetAttr(target.Node);
        return Map(attributes.Status, call);
    }

    public Nfs3Status Map(VfsStatus status, RpcCallContext call, Nfs3Status invalidName = Nfs3Status.NFS3ERR_INVAL)
    {
        if (status == VfsStatus.Io) Log?.Invoke($"nfs3 {Name(call)} from {call.Connection}: I/O error");
        return Nfs3StatusMap.Map(status, invalidName);
    }

    public void WriteHandle(ref XdrWriter writer, in Nfs3Target owner, NodeId node) =>
        PostOpFh3.WriteHandle(ref writer, Codec, owner.Export.Id, node);

    private static string Name(RpcCallContext call) => ((Nfs3Procedure)call.Procedure).ToString();
}
