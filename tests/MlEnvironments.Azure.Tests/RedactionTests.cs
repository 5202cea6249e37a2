using System.Diagnostics.Tracing;
using System.Net;
using Azure.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Tokens never reach logs (ours or Azure.Core's event source) or exceptions, even when calls fail and are retried.</summary>
public class RedactionTests
{
    [Fact]
    public async Task FailuresAndRetries_LogAndThrowWithoutTheToken()
    {
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(collector)).SetMinimumLevel(LogLevel.Trace));
        var events = new List<string>();
        using var listener = new AzureEventSourceListener((e, message) =>
        {
            lock (events)
            {
                events.Add(message + " " + string.Join(" ", e.Payload ?? []));
            }
        }, EventLevel.Verbose);
        using var azure = new ScriptedAzure(loggers: loggers);
        azure.Handler
            .Then(HttpStatusCode.TooManyRequests, """{"error":{"code":"TooManyRequests","message":"slow down"}}""", ("Retry-After", "2"))
            .Then(HttpStatusCode.Unauthorized, """{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}""", ("x-ms-request-id", "req-9"));

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev).WithClock(azure.Time));

        Assert.Equal((401, "InvalidAuthenticationToken"), (error.StatusCode, error.ErrorCode));
        Assert.Contains("Check the credential", error.Message);
        Assert.Equal($"Bearer {ScriptedAzure.Token}", azure.Handler.Requests[0].Headers["Authorization"]);
        var logs = collector.GetSnapshot();
        Assert.Contains(logs, r => r.Level == LogLevel.Warning && r.Message.Contains("Workspaces_Get", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.Contains("answered 401", StringComparison.Ordinal));
        string everything;
        lock (events)
        {
            Assert.NotEmpty(events);
            everything = string.Join("\n", logs.Select(r => r.Message + " " + r.Exception)) + "\n" + string.Join("\n", events) + "\n" + error;
        }

        Assert.DoesNotContain(ScriptedAzure.Token, everything);
        Assert.DoesNotContain("scripted-token", everything);
    }

    [Fact]
    public async Task TheEmulatorsRequestLog_HoldsNoToken()
    {
        await using var azure = await StartAsync();
        await azure.MachineLearning.GetWorkspaceAsync(Dev);
        await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.ListModelVersionsAsync(Missing, "m"));

        Assert.DoesNotContain(Token, string.Join("\n", azure.Emulator.Requests));
        Assert.DoesNotContain(Token, string.Join("\n", azure.MlState.Calls));
    }

    [Fact]
    public async Task AWrongToken_IsRefusedWith401_AndTheMessageDoesNotEchoIt()
    {
        var options = new AzureResourceManagerEmulatorOptions();
        options.AcceptedTokens.Add("only-this-one");
        await using var emulator = await AzureResourceManagerEmulator.StartAsync(options: options);
        emulator.MachineLearning.AddWorkspace(Dev);
        using var azure = new ScriptedAzureOverEmulator(emulator, "a-different-secret-token");

        var error = await Assert.ThrowsAsync<AzureException>(() => azure.MachineLearning.GetWorkspaceAsync(Dev));

        Assert.Equal((401, "InvalidAuthenticationToken"), (error.StatusCode, error.ErrorCode));
        Assert.DoesNotContain("a-different-secret-token", error.ToString());
    }
}
