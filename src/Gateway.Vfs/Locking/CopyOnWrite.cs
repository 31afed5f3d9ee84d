namespace Gateway.Vfs.Locking;

/// <summary>
/// Array edits that never touch the input: a node's lists are published as immutable snapshots
/// so READ/WRITE checks and GetLocks can read them without taking the node's gate.
/// </summary>
internal static class CopyOnWrite
{
    public static T[] Append<T>(T[] items, T item)
    {
        var copy = new T[items.Length + 1];
        Array.Copy(items, copy, items.Length);
        copy[items.Length] = item;
        return copy;
    }

    public static T[] RemoveAt<T>(T[] items, int index)
    {
        if (items.Length == 1)
            return [];
        var copy = new T[items.Length - 1];
        Array.Copy(items, 0, copy, 0, index);
        Array.Copy(items, index + 1, copy, index, items.Length - index - 1);
        return copy;
    }

    public static bool SameItems<T>(T[] a, T[] b) where T : class, IEquatable<T>
    {
        if (a.Length != b.Length)
            return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (!a[i].Equals(b[i]))
                return false;
        }
        return true;
    }
}
