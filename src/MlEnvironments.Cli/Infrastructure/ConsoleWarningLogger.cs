using System;
using Microsoft.Extensions.Logging;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>
/// Shows the library's warnings (a wait for a rate limit or a <c>Retry-After</c>, a retried call) on the terminal as
/// <c>warning:</c> lines through <see cref="CliConsole.Warning"/>, so that they are escaped and redacted like every
/// other line <c>mlenv</c> prints. Anything below <see cref="LogLevel.Warning"/> is not shown.
/// </summary>
internal sealed class ConsoleWarningLoggerProvider(CliConsole console) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(console);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CliConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                console.Warning(formatter(state, exception));
            }
        }
    }
}
