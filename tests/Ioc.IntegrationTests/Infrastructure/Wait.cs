namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>Awaits a condition with a deadline instead of sleeping a fixed time.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        await UntilAsync(() => Task.FromResult(condition()), timeout, what);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for: {what}");
            }

            await Task.Delay(25);
        }
    }
}
