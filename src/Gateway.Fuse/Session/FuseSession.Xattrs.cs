using System.Text;
using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;

namespace Gateway.Fuse.Session;

/// <summary>
/// Extended attributes: the user.* namespace goes to the Vfs (which stores names without the prefix);
/// security.*, trusted.* and system.* are not the gateway's to grant, so they are EOPNOTSUPP.
/// A size of 0 asks for the length only; a buffer too small is ERANGE, as getxattr(2) says.
/// </summary>
internal sealed partial class FuseSession
{
    private const string UserPrefix = "user.";

    private static bool IsUser(string name, out string bare)
    {
        bare = name.Length > UserPrefix.Length && name.StartsWith(UserPrefix, StringComparison.Ordinal) ? name[UserPrefix.Length..] : "";
        return bare.Length > 0;
    }

    /// <summary>For xattrs, a missing attribute is ENODATA, not ENOENT.</summary>
    private static int XattrErrno(VfsStatus s) => s == VfsStatus.NotFound ? FuseErrno.ENODATA : FuseErrno.Map(s);

    private void SetXattr(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseSetxattrIn s) || !r.TryReadName(out var name) || !r.TryReadBytes((int)Math.Min(s.Size, int.MaxValue), out var value))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        if (!IsUser(name, out var bare))
        {
            Error(h.Unique, FuseErrno.EOPNOTSUPP);
            return;
        }
        var mode = (s.Flags & FuseConst.XATTR_CREATE) != 0 ? XattrSetMode.CreateOnly
            : (s.Flags & FuseConst.XATTR_REPLACE) != 0 ? XattrSetMode.ReplaceOnly : XattrSetMode.Either;
        var res = _vfs.SetXattr(Caller(h), _nodes.ToVfs(h.NodeId), bare, value, mode);
        Error(h.Unique, res.IsOk ? 0 : res.Status == VfsStatus.FileTooBig ? FuseErrno.E2BIG : XattrErrno(res.Status));
    }

    private void GetXattr(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseGetxattrIn g) || !r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        if (!IsUser(name, out var bare))
        {
            Error(h.Unique, FuseErrno.EOPNOTSUPP);
            return;
        }
        var res = _vfs.GetXattr(Caller(h), _nodes.ToVfs(h.NodeId), bare);
        if (!res.IsOk)
        {
            Error(h.Unique, XattrErrno(res.Status));
            return;
        }
        SizedReply(h.Unique, reply, g.Size, res.Value);
    }

    private void ListXattr(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseGetxattrIn g))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var res = _vfs.ListXattr(Caller(h), _nodes.ToVfs(h.NodeId));
        if (!res.IsOk)
        {
            // A node that can hold none (a symlink, a fifo) has an empty list.
            if (res.Status == VfsStatus.NotSupported) SizedReply(h.Unique, reply, g.Size, []);
            else Error(h.Unique, XattrErrno(res.Status));
            return;
        }
        var list = new StringBuilder();
        foreach (var n in res.Value) list.Append(UserPrefix).Append(n).Append('\0');
        SizedReply(h.Unique, reply, g.Size, Encoding.UTF8.GetBytes(list.ToString()));
    }

    private void RemoveXattr(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryReadName(out var name))
        {
            Error(h.Unique, r.FailureErrno);
            return;
        }
        if (!IsUser(name, out var bare))
        {
            Error(h.Unique, FuseErrno.EOPNOTSUPP);
            return;
        }
        var res = _vfs.RemoveXattr(Caller(h), _nodes.ToVfs(h.NodeId), bare);
        Error(h.Unique, res.IsOk ? 0 : XattrErrno(res.Status));
    }

    /// <summary>size 0: fuse_getxattr_out with the length; too small: ERANGE; else the bytes.</summary>
    private void SizedReply(ulong unique, FuseReplyBuilder reply, uint size, ReadOnlySpan<byte> value)
    {
        if (size == 0)
        {
            Reply(unique, reply, new FuseGetxattrOut { Size = (uint)value.Length });
            return;
        }
        if (size < value.Length)
        {
            Error(unique, FuseErrno.ERANGE);
            return;
        }
        reply.AppendBytes(value);
        Send(unique, reply);
    }
}
