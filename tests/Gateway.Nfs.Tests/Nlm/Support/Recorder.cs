namespace Gateway.Nfs.Tests.Nlm.Support;

/// <summary>A thread-safe list that can be awaited for an item to arrive (no sleeps, a generous timeout).</summary>
internal sealed class Recorder<T>
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate) return [.. _items];
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _items.Add(item);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
    }

    public async Task<T> WaitAsync(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                foreach (var item in _items)
                    if (match(item)) return item;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no matching {typeof(T).Name} within {timeout ?? DefaultTimeout}");
            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // one last look happens at the top of the loop
            }
        }
    }
}

internal static class Eventually
{
    /// <summary>Polls a condition the code under test reaches asynchronously (a callback outcome), up to 20 s.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never: {what}");
            await Task.Delay(20);
        }
    }
}
