using System.Collections.Concurrent;
using Gateway.Vfs.Native;

namespace Gateway.Vfs.Local;

/// <summary>
/// The change time each file had when the gateway last looked at it, so that IN_CLOSE_WRITE can be told
/// apart from a real change. The gateway closes descriptors opened for writing all the time without
/// writing (the FUSE passthrough backing is opened read-write for readers too, NFS keeps an I/O
/// descriptor), and each such close used to be reported as an outside edit: an invalidation sent back
/// into the kernel (and a GETATTR after it) for every file merely read through the mount. A write always
/// moves ctime, and IN_MODIFY (reported regardless) records the ctime it saw, so a close-after-write
/// whose ctime is already known adds nothing.
/// </summary>
internal sealed partial class NodeIndex
{
    private readonly ConcurrentDictionary<ulong, long> _seenChangeTime = new();

    private void SawChangeTime(NodeRecord rec, in StatxBuffer st)
    {
        if (!rec.IsDirectory) _seenChangeTime[rec.Id.Value] = st.Ctime.ToUnixNanoseconds();
    }

    /// <summary>
    /// Looks at the file at (dir, name) now and remembers its change time. True when it is the node we
    /// know and its change time is the one seen last: nothing was written since.
    /// </summary>
    public bool UnchangedSinceSeen(NodeRecord dir, NodeRecord rec, string name)
    {
        if (StatName(dir, name, out var st) <= 0 || st.Dev != rec.Dev || st.Ino != rec.Ino) return false;
        var ctime = st.Ctime.ToUnixNanoseconds();
        var seen = _seenChangeTime.TryGetValue(rec.Id.Value, out var before) && before == ctime;
        _seenChangeTime[rec.Id.Value] = ctime;
        return seen;
    }
}
