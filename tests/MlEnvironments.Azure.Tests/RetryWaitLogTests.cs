using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>A Retry-After wait is visible: logged at Warning with how long and until when.</summary>
public class RetryWaitLogTests
{
    [Fact]
    public async Task ARetryAfterWait_IsLoggedAtWarning_WithHowLongAndUntilWhen()
    {
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        await using var azure = await StartAsync(loggers: loggers);
        azure.Emulator.InjectThrottling(1, TimeSpan.FromSeconds(7));
        var start = azure.Time.GetUtcNow();

        await azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time);

        var wait = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 2);
        Assert.Equal(LogLevel.Warning, wait.Level);
        Assert.Contains("in 7 s", wait.Message);
        var until = DateTimeOffset.Parse(wait.Message[(wait.Message.IndexOf("(until ", StringComparison.Ordinal) + 7)..^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(until, start.AddSeconds(7), azure.Time.GetUtcNow().AddSeconds(7));
        Assert.DoesNotContain(Token, string.Join("\n", logs.GetSnapshot().Select(r => r.Message)));
    }
}
