using Gateway.Fuse.Abi;
using Gateway.Fuse.Protocol;
using Gateway.Vfs;

namespace Gateway.Fuse.Session;

internal sealed partial class FuseSession
{
    // READDIR offsets: 0 = start, 1 = after ".", 2 = after "..", anything else = a Vfs cookie (always >= 3).
    private const ulong AfterDot = 1, AfterDotDot = 2;

    private void OpenDir(in FuseInHeader h, FuseReplyBuilder reply)
    {
        var node = _nodes.ToVfs(h.NodeId);
        var attrs = _vfs.GetAttr(node);
        if (!attrs.IsOk)
        {
            Status(h.Unique, attrs.Status);
            return;
        }
        if (attrs.Value.Type != FileType.Directory)
        {
            Error(h.Unique, FuseErrno.ENOTDIR);
            return;
        }
        Reply(h.Unique, reply, new FuseOpenOut { Fh = _handles.Add(new DirHandle(node)) });
    }

    private void ReleaseDir(in FuseInHeader h, ReadOnlySpan<byte> body)
    {
        var r = new FuseRequestReader(body);
        if (r.TryRead(out FuseReleaseIn rel)) _handles.Remove<DirHandle>(rel.Fh);
        Ok(h.Unique);
    }

    private void FsyncDir(in FuseInHeader h)
    {
        var pending = _vfs.CommitAsync(_nodes.ToVfs(h.NodeId));
        var res = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        Status(h.Unique, res.Status);
    }

    private void ReadDir(in FuseInHeader h, ReadOnlySpan<byte> body, FuseReplyBuilder reply, bool plus)
    {
        var r = new FuseRequestReader(body);
        if (!r.TryRead(out FuseReadIn rd))
        {
            Error(h.Unique, FuseErrno.EIO);
            return;
        }
        var node = _handles.Get<DirHandle>(rd.Fh)?.Node ?? _nodes.ToVfs(h.NodeId);
        var caller = Caller(h);
        var space = reply.Free[..(int)Math.Min(rd.Size, (uint)reply.Free.Length)];
        var w = new DirentWriter(space);
        var dirId = h.NodeId;
        var offset = rd.Offset;
        var dirType = FuseAttrCodec.DirentType(FileType.Directory);

        if (offset == 0)
        {
            if (!(plus ? w.TryAddPlus(default, ".", dirId, AfterDot, dirType) : w.TryAdd(".", dirId, AfterDot, dirType)))
            {
                Error(h.Unique, FuseErrno.EINVAL); // not even "." fits: the buffer is unusable
                return;
            }
            offset = AfterDot;
        }
        if (offset == AfterDot)
        {
            // nodeid 0 in a READDIRPLUS entry: the kernel takes no lookup reference for "." and "..".
            if (!(plus ? w.TryAddPlus(default, "..", dirId, AfterDotDot, dirType) : w.TryAdd("..", dirId, AfterDotDot, dirType)))
            {
                Finish(h.Unique, reply, w.Length);
                return;
            }
            offset = AfterDotDot;
        }
        var cookie = offset == AfterDotDot ? 0UL : offset;
        // Each page asks for about as many entries as can fit; one that does not fit ends the reply, and
        // the kernel resumes after the last cookie it got.
        var perEntry = plus ? 160 : 40;
        while (true)
        {
            var room = space.Length - w.Length;
            var page = _vfs.ReadDir(caller, node, cookie, Math.Clamp(room / perEntry + 1, 1, 1024), withAttributes: plus);
            if (!page.IsOk)
            {
                if (w.Length > 0) break; // what we have is good; the error comes back on the next call
                Status(h.Unique, page.Status == VfsStatus.BadCookie ? VfsStatus.Invalid : page.Status);
                return;
            }
            var full = false;
            foreach (var e in page.Value.Entries)
            {
                var id = _nodes.ToFuse(e.Node);
                var type = FuseAttrCodec.DirentType(e.Type);
                bool added;
                if (plus && e.Attributes is { } a)
                {
                    added = w.TryAddPlus(Entry(e.Node, a), e.Name, id, e.Cookie, type);
                    if (added) _nodes.Remember(id, dirId, e.Name); // the kernel now holds a reference
                }
                else
                {
                    added = plus ? w.TryAddPlus(default, e.Name, id, e.Cookie, type) : w.TryAdd(e.Name, id, e.Cookie, type);
                }
                if (!added)
                {
                    full = true;
                    break;
                }
                cookie = e.Cookie;
            }
            if (full || page.Value.Eof || page.Value.Entries.Count == 0) break;
        }
        Finish(h.Unique, reply, w.Length);
    }

    private void Finish(ulong unique, FuseReplyBuilder reply, int length)
    {
        reply.Advance(length);
        Send(unique, reply);
    }
}
