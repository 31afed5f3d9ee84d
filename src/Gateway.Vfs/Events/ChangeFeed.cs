namespace Gateway.Vfs.Events;

/// <summary>
/// Fan-out of <see cref="VfsChange"/>s to subscribers. Publishing never throws into the operation that
/// caused the change: a failing subscriber is isolated and reported through <see cref="SubscriberFailed"/>.
/// </summary>
public sealed class ChangeFeed
{
    private volatile Action<VfsChange>[] _subscribers = [];
    private readonly object _gate = new();

    public event Action<Exception>? SubscriberFailed;

    public IDisposable Subscribe(Action<VfsChange> handler)
    {
        lock (_gate) _subscribers = [.. _subscribers, handler];
        return new Subscription(this, handler);
    }

    internal void Publish(in VfsChange change)
    {
        foreach (var s in _subscribers)
        {
            try
            {
                s(change);
            }
            catch (Exception e)
            {
                SubscriberFailed?.Invoke(e);
            }
        }
    }

    private void Unsubscribe(Action<VfsChange> handler)
    {
        lock (_gate) _subscribers = Array.FindAll(_subscribers, s => s != handler);
    }

    private sealed class Subscription(ChangeFeed feed, Action<VfsChange> handler) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(handler);
    }
}
