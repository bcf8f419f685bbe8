using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>Keeps every log line so a failing assertion can show what the code under test reported.</summary>
internal sealed class TestLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public override string ToString() => string.Join(Environment.NewLine, _lines);
}
