using System.Net;
using Gateway.Rpc;
using Gateway.Vfs;
using Gateway.Vfs.Local;

namespace Gateway.Nfs;

/// <summary>
/// One directory served over NFS: its Vfs, the path MOUNT knows it by, and its policy.
/// <see cref="Id"/> is the id carried in file handles; it is normally <see cref="IVfs.ExportId"/>,
/// which the Store keeps stable across restarts, so handles survive a restart.
/// </summary>
public sealed class NfsExport
{
    public NfsExport(int id, string name, string mountPath, IVfs vfs, ExportPolicy policy, string? directoryPath = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(vfs);
        ArgumentNullException.ThrowIfNull(policy);
        MountPath = NormalizePath(mountPath) ?? throw new ArgumentException($"'{mountPath}' is not an absolute path without '..'", nameof(mountPath));
        Id = id;
        Name = name;
        Vfs = vfs;
        Policy = policy;
        var real = directoryPath ?? (vfs as LocalVfs)?.RootPath;
        DirectoryPath = real is null ? null : NormalizePath(real);

        var root = vfs.GetAttr(vfs.Root);
        AnonUid = policy.AnonUid ?? (root.IsOk ? root.Value.Uid : NobodyId);
        AnonGid = policy.AnonGid ?? (root.IsOk ? root.Value.Gid : NobodyId);
        Anonymous = new Principal(AnonUid, AnonGid, Array.Empty<uint>(), "nfs-anonymous");
    }

    /// <summary>The id of 'nobody' on Linux, used only when the export root cannot be read at start.</summary>
    public const uint NobodyId = 65534;

    /// <summary>An export of <paramref name="vfs"/> under its own id, mounted as "/" + its name.</summary>
    public static NfsExport For(IVfs vfs, ExportPolicy policy, string? mountPath = null) =>
        new(vfs.ExportId, vfs.Name, mountPath ?? "/" + vfs.Name, vfs, policy);

    public int Id { get; }

    public string Name { get; }

    /// <summary>The MOUNT path, normalised ("/name", no trailing slash).</summary>
    public string MountPath { get; }

    /// <summary>The real directory, which MOUNT also accepts (as Linux mountd does); null when unknown.</summary>
    public string? DirectoryPath { get; }

    public IVfs Vfs { get; }

    public ExportPolicy Policy { get; }

    public uint AnonUid { get; }

    public uint AnonGid { get; }

    /// <summary>The principal of squashed and AUTH_NONE callers.</summary>
    public Principal Anonymous { get; }

    /// <summary>fattr3.fsid: one per export, so a client never sees a mount point inside an export.</summary>
    public ulong FsId => (ulong)(uint)Id;

    public bool Admits(IPAddress? client) => Policy.Admits(client);

    public Principal PrincipalFor(RpcCredential credential) => Policy.Map(credential, Anonymous);

    public override string ToString() => $"{Name} ({MountPath}, id {Id})";

    /// <summary>
    /// "/a//b/./c/" → "/a/b/c"; "/" stays "/". Null for a relative path or one with "..":
    /// a MOUNT path names an export, it never walks out of one.
    /// </summary>
    internal static string? NormalizePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/') return null;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(parts.Length);
        foreach (var p in parts)
        {
            if (p == ".") continue;
            if (p == ".." || p.Contains('\0')) return null;
            kept.Add(p);
        }
        return "/" + string.Join('/', kept);
    }
}
