using Microsoft.AspNetCore.Components;

namespace Ioc.Dashboard.Components.Controls;

/// <summary>Base for components that follow live stores: keeps their subscriptions and disposes them with the component.</summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private bool _disposed;

    /// <summary>Subscribe in OnInitialized: <c>Follow(Store.Subscribe(OnLiveChangeAsync))</c>.</summary>
    protected void Follow(IDisposable subscription) => _subscriptions.Add(subscription);

    /// <summary>Called (throttled) after a followed store changed; re-renders by default.</summary>
    protected virtual Task OnLiveChangeAsync() => _disposed ? Task.CompletedTask : InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
    }

    protected bool IsDisposed => _disposed;
}
