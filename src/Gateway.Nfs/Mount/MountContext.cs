using System.Text;
using System.Text.Unicode;
using Gateway.Rpc;
using Gateway.Vfs;

namespace Gateway.Nfs.Mount;

/// <summary>What the MOUNT procedures share: exports, handle codec, the mount list.</summary>
internal sealed class MountContext
{
    // RFC 1813 §5.1: const MNTPATHLEN = 1024; const MNTNAMLEN = 255;
    public const int MaxPathBytes = 1024;
    public const int MaxNameBytes = 255;

    public MountContext(NfsExports exports, NfsHandleCodec codec, Action<string>? log)
    {
        Exports = exports;
        Codec = codec;
        Log = log;
    }

    public NfsExports Exports { get; }

    public NfsHandleCodec Codec { get; }

    public MountList Mounts { get; } = new();

    public Action<string>? Log { get; }

    /// <summary>The client as the mount list names it: its address (no reverse DNS on the request path).</summary>
    public static string HostOf(RpcCallContext call) => call.Connection.RemoteAddress?.ToString() ?? "unknown";

    /// <summary>dirpath: string&lt;MNTPATHLEN&gt;. Not UTF-8: null (no export can have that name).</summary>
    public static string? ReadDirPath(ref XdrReader reader)
    {
        var bytes = reader.ReadOpaque(MaxPathBytes);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>
    /// MNT: the export the path names (its MOUNT path, its real directory, or a directory beneath
    /// either), if the client's host is on its list; then the directory, walked by the Vfs without
    /// ever leaving the export or following a symlink.
    /// </summary>
    public MountStatus Resolve(RpcCallContext call, string? dirpath, out NfsExport export, out NodeId node)
    {
        node = NodeId.None;
        export = null!;
        if (dirpath is null || Exports.Resolve(dirpath, out var rest) is not { } found) return MountStatus.MNT3ERR_NOENT;
        export = found;
        if (!found.Admits(call.Connection.RemoteAddress))
        {
            Log?.Invoke($"mount: {HostOf(call)} may not mount {dirpath} (export {found.Name})");
            return MountStatus.MNT3ERR_ACCES;
        }
        var caller = found.PrincipalFor(call.Credential);
        if (rest.Length == 0)
        {
            node = found.Vfs.Root;
            return MountStatus.MNT3_OK;
        }
        var walked = found.Vfs.LookupPath(caller, rest);
        if (!walked.IsOk) return MountStatusMap.Map(walked.Status);
        var attributes = found.Vfs.GetAttr(walked.Value);
        if (!attributes.IsOk) return MountStatusMap.Map(attributes.Status);
        if (attributes.Value.Type != FileType.Directory) return MountStatus.MNT3ERR_NOTDIR;
        node = walked.Value;
        return MountStatus.MNT3_OK;
    }
}
