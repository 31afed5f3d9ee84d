using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

internal enum NameCheckKind
{
    /// <summary>A gateway operation on this name is in flight: it updates the index itself.</summary>
    Own,
    /// <summary>The index already says what the disk says (the usual answer for the gateway's own events read late).</summary>
    Same,
    /// <summary>A file the index does not know now holds the name.</summary>
    Appeared,
    /// <summary>A known node now holds the name: it was renamed here, and has been re-homed.</summary>
    MovedHere,
    /// <summary>The name is gone; the node the index had there was dropped or marked lost.</summary>
    Gone,
}

/// <summary>What <see cref="NodeIndex.Revalidate"/> found, and did, for one (directory, name).</summary>
internal readonly record struct NameCheck(NameCheckKind Kind, NodeRecord? Node, NodeRecord? Displaced, NodeId FromDir, string? FromName);

internal sealed partial class NodeIndex
{
    /// <summary>
    /// Brings the index entry for (dir, name) in line with what is on disk now, after an inotify event for it.
    /// An event is only a hint that something happened to the name, read some time after the fact: by then
    /// the gateway may have reused the name (rmdir a; mkdir a; rename a b ...) and updated the index itself.
    /// Applying the event as it reads ("a moved to b") would then re-home whichever node holds the name now,
    /// and the node really at b goes lost: clients see ESTALE on a directory that is there. So the event's
    /// story is never applied; the disk is asked, by inode, and only a disagreement with the index changes it.
    /// A gateway operation marks its names (BeginOwnChange) before it touches the disk and updates the index
    /// under this lock before it unmarks them, so a name checked twice unmarked around the stat, under the
    /// lock, cannot be half-way through one of our operations.
    /// </summary>
    /// <param name="movedAway">The event said the name was moved away (IN_MOVED_FROM without its IN_MOVED_TO):
    /// a node that left it went somewhere we do not watch, so it is marked lost, never dropped.</param>
    public NameCheck Revalidate(NodeRecord dir, string name, bool movedAway)
    {
        // The common case (our own events, read late) needs no lock held across a system call.
        var found = StatName(dir, name, out var st);
        if (found < 0) return new NameCheck(NameCheckKind.Same, null, null, default, null); // the directory itself is gone: its own events say so
        lock (_lock)
        {
            var known = _byName.GetValueOrDefault((dir.Id.Value, name));
            if (Agrees(known, found > 0, st)) return new NameCheck(NameCheckKind.Same, known, null, default, null);
            if (IsOwnChange(dir.Id, name)) return new NameCheck(NameCheckKind.Own, known, null, default, null);
            found = StatName(dir, name, out st);
            if (found < 0 || IsOwnChange(dir.Id, name)) return new NameCheck(NameCheckKind.Own, known, null, default, null);
            if (Agrees(known, found > 0, st)) return new NameCheck(NameCheckKind.Same, known, null, default, null);

            if (found == 0)
            {
                DropNameLocked(known!, movedAway);
                return new NameCheck(NameCheckKind.Gone, null, known, default, null);
            }
            if (known is not null) DropNameLocked(known, movedAway: false);
            var gen = Sys.GenerationOf(st);
            if (_byInode.TryGetValue((st.Dev, st.Ino), out var moved) && moved.Gen == gen && moved.Type == Sys.TypeOf(st.Mode)
                && (moved.IsDirectory || moved.Lost || !StillAt(moved))) // a file still at its own name: this is another link to it
            {
                var (fromDir, fromName) = (moved.Parent, moved.Name);
                MoveLocked(moved, dir.Id, name);
                return new NameCheck(NameCheckKind.MovedHere, moved, known, fromDir, fromName);
            }
            return new NameCheck(NameCheckKind.Appeared, null, known, default, null);
        }
    }

    private static bool Agrees(NodeRecord? known, bool exists, in StatxBuffer st) =>
        known is null
            ? !exists
            : exists && !known.Lost && known.Dev == st.Dev && known.Ino == st.Ino && known.Gen == Sys.GenerationOf(st);

    /// <summary>1: the name exists (st filled), 0: it does not, -1: the directory cannot be reached.</summary>
    private int StatName(NodeRecord dir, string name, out StatxBuffer st)
    {
        st = default;
        if (Lease(dir, out var lease) != VfsStatus.Ok) return -1;
        using (lease)
        {
            var err = Sys.StatAt(lease.Fd, name, out st);
            return err == 0 ? 1 : err is Errno.ENOENT or Errno.ENOTDIR ? 0 : -1;
        }
    }

    /// <summary>
    /// The node no longer holds its name. Deleted for good (no links left): forgotten. Still linked
    /// elsewhere: a file keeps its node (a lookup of another link re-homes it); a directory, or anything
    /// that was moved away or whose link count we cannot see, is marked lost (the row stays, and a later
    /// lookup that finds the same inode revives the same id).
    /// </summary>
    private void DropNameLocked(NodeRecord rec, bool movedAway)
    {
        var links = LinkCount(rec);
        if (links == 0) ForgetLocked(rec);
        else if (!movedAway && links > 0 && !rec.IsDirectory) Unlinked(rec, lastLink: false);
        else MarkLost(rec);
    }

    /// <summary>Links left on the file behind a cached descriptor: 0 when it was deleted, -1 when no descriptor tells.</summary>
    private static long LinkCount(NodeRecord rec)
    {
        var fd = Volatile.Read(ref rec.PathFd) ?? Volatile.Read(ref rec.IoFd);
        if (fd is null) return -1;
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return Sys.StatFd((int)fd.DangerousGetHandle(), out var st) == 0 ? st.Nlink : -1;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }
}
