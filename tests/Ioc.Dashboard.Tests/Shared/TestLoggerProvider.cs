using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>Keeps every log entry written through it, for tests that assert something was logged.</summary>
public sealed class TestLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<TestLogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue(new TestLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}

public sealed record TestLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
