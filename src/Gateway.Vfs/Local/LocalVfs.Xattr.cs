using System.Text;
using System.Text.Unicode;
using Gateway.Vfs.Events;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

public sealed partial class LocalVfs
{
    private const string UserPrefix = "user.";
    private const int MaxXattrValue = 64 * 1024;

    /// <summary>Only the user namespace is reachable: a client must never set trusted.* or security.* as the gateway's identity.</summary>
    private VfsStatus XattrTarget(Principal caller, NodeId node, string? name, int want, out NodeRecord rec, out byte[] cname)
    {
        cname = [];
        var s = Node(node, out rec);
        if (s != VfsStatus.Ok) return s;
        if (rec.Type is not (FileType.Regular or FileType.Directory)) return VfsStatus.NotSupported;
        if (name is not null)
        {
            if (name.Length == 0 || name.Contains('\0')) return VfsStatus.Invalid;
            // Attribute names stay plain UTF-8: a stray surrogate or an escaped byte (NameEncoding) is
            // refused, never replaced by another name.
            var full = UserPrefix + name;
            var length = NameEncoding.GetByteCount(full);
            if (length < 0 || NameEncoding.HasEscapes(full)) return VfsStatus.InvalidName;
            if (length > 255) return VfsStatus.NameTooLong;
            cname = new byte[length + 1];
            NameEncoding.TryEncode(full, cname, out _);
        }
        s = Stat(rec, out var a);
        if (s != VfsStatus.Ok) return s;
        if (want == Permissions.W && ReadOnly) return VfsStatus.ReadOnly;
        return Permissions.Allowed(a, caller, want) || Permissions.IsOwnerOrRoot(a, caller) ? VfsStatus.Ok : VfsStatus.AccessDenied;
    }

    private unsafe delegate nint ProcPathCall(byte* path);

    /// <summary>Runs a path-only syscall (the xattr family) on the node through its /proc/self/fd path; errno on failure.</summary>
    private unsafe VfsStatus OnProcPath(NodeRecord rec, ProcPathCall call, out nint result)
    {
        result = -1;
        var s = _index.Lease(rec, out var lease);
        if (s != VfsStatus.Ok) return s;
        using (lease)
        {
            Span<byte> scratch = stackalloc byte[32];
            var path = Names.ProcFdPath(lease.Fd, scratch);
            fixed (byte* p = path) result = call(p);
        }
        return result < 0 ? Errno.ToStatus(LibC.LastError) : VfsStatus.Ok;
    }

    public unsafe VfsResult<byte[]> GetXattr(Principal caller, NodeId node, string name)
    {
        var s = XattrTarget(caller, node, name, Permissions.R, out var rec, out var cname);
        if (s != VfsStatus.Ok) return s;
        var buffer = new byte[MaxXattrValue];
        s = OnProcPath(rec, p =>
        {
            fixed (byte* n = cname)
            fixed (byte* v = buffer)
                return LibC.Getxattr(p, n, v, (nuint)buffer.Length);
        }, out var len);
        return s != VfsStatus.Ok ? s : buffer.AsSpan(0, (int)len).ToArray();
    }

    public unsafe VfsResult<bool> SetXattr(Principal caller, NodeId node, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.Either)
    {
        if (value.Length > MaxXattrValue) return VfsStatus.FileTooBig;
        var s = XattrTarget(caller, node, name, Permissions.W, out var rec, out var cname);
        if (s != VfsStatus.Ok) return s;
        var flags = mode switch { XattrSetMode.CreateOnly => 1, XattrSetMode.ReplaceOnly => 2, _ => 0 };
        var copy = value.ToArray(); // a span cannot cross into the call below
        s = OnProcPath(rec, p =>
        {
            fixed (byte* n = cname)
            fixed (byte* v = copy)
                return LibC.Setxattr(p, n, v, (nuint)copy.Length, flags);
        }, out _);
        if (s != VfsStatus.Ok) return s;
        Changes.Publish(new VfsChange(ChangeKind.AttributesModified, rec.Parent, rec.Name, rec.Id, External: false));
        return true;
    }

    public unsafe VfsResult<IReadOnlyList<string>> ListXattr(Principal caller, NodeId node)
    {
        var s = XattrTarget(caller, node, null, Permissions.R, out var rec, out _);
        if (s != VfsStatus.Ok) return s;
        var buffer = new byte[MaxXattrValue];
        s = OnProcPath(rec, p =>
        {
            fixed (byte* b = buffer) return LibC.Listxattr(p, b, (nuint)buffer.Length);
        }, out var len);
        if (s != VfsStatus.Ok) return s;
        var names = new List<string>();
        // An attribute whose name is not UTF-8 (set by a local tool) is left out: no string names it.
        ReadOnlySpan<byte> list = buffer.AsSpan(0, (int)len);
        foreach (var range in list.Split((byte)0))
        {
            var raw = list[range];
            if (raw.StartsWith("user."u8) && raw.Length > UserPrefix.Length && Utf8.IsValid(raw))
                names.Add(Encoding.UTF8.GetString(raw[UserPrefix.Length..]));
        }
        return names;
    }

    public unsafe VfsResult<bool> RemoveXattr(Principal caller, NodeId node, string name)
    {
        var s = XattrTarget(caller, node, name, Permissions.W, out var rec, out var cname);
        if (s != VfsStatus.Ok) return s;
        s = OnProcPath(rec, p =>
        {
            fixed (byte* n = cname) return LibC.Removexattr(p, n);
        }, out _);
        if (s != VfsStatus.Ok) return s;
        Changes.Publish(new VfsChange(ChangeKind.AttributesModified, rec.Parent, rec.Name, rec.Id, External: false));
        return true;
    }
}
