namespace Gateway.Smb.Server;

/// <summary>
/// The connection's sequence window (MS-SMB2 3.3.1.1): MessageIds the server has granted and the
/// client has not used yet. A request must fall wholly inside the window and use ids never used
/// before; otherwise the connection is dropped, as Windows does. The window never grows past
/// <see cref="MaxOutstanding"/> unused credits, so a client cannot make us track unbounded state.
/// </summary>
internal sealed class Credits
{
    public const int MaxOutstanding = 8192;

    private readonly object _gate = new();
    private readonly HashSet<ulong> _usedAboveLow = [];
    private ulong _low;      // lowest id not yet used
    private ulong _high = 1; // first id not granted yet (id 0 is granted for the first NEGOTIATE)

    public bool TryConsume(ulong messageId, int charge)
    {
        if (charge < 1)
            charge = 1;
        lock (_gate)
        {
            if (messageId < _low || messageId > _high || (ulong)charge > _high - messageId)
                return false;
            // Ids below _low are all used; between _low and _high, the set says which are.
            for (ulong id = messageId; id < messageId + (ulong)charge; id++)
                if (_usedAboveLow.Contains(id))
                    return false;
            for (ulong id = messageId; id < messageId + (ulong)charge; id++)
                _usedAboveLow.Add(id);
            while (_usedAboveLow.Remove(_low))
                _low++;
            return true;
        }
    }

    /// <summary>Credits to return for a request asking <paramref name="requested"/>: as asked, within the window.</summary>
    public ushort Grant(ushort requested, bool atLeastOne = true)
    {
        lock (_gate)
        {
            var outstanding = (long)(_high - _low) - _usedAboveLow.Count;
            var room = MaxOutstanding - outstanding;
            long grant = Math.Min(Math.Max((int)requested, atLeastOne ? 1 : 0), room);
            // A client left with no credit at all could never send again.
            if (grant <= 0)
                grant = outstanding <= 0 && atLeastOne ? 1 : 0;
            _high += (ulong)grant;
            return (ushort)grant;
        }
    }

    public long Outstanding
    {
        get
        {
            lock (_gate)
                return (long)(_high - _low) - _usedAboveLow.Count;
        }
    }
}
