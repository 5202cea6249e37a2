using System.Net;
using MlEnvironments.Azure.Http;
using MlEnvironments.Azure.Tests.Support;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Without Retry-After, polls start at one second and back off as Azure.Core's ARM schedule does; a Retry-After is followed.</summary>
public class PollingScheduleTests
{
    private const string Accepted = "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.MachineLearningServices/locations/westeurope/mfeOperationResults/op-1?api-version=2025-12-01";

    [Fact]
    public void TheSchedule_IsAzureCoresSequence_CappedToPollingInterval()
    {
        Assert.Equal([1, 1, 1, 2, 4, 8, 16, 32, 32, 32], Enumerable.Range(0, 10).Select(i => ArmConnection.PollSchedule(i, TimeSpan.FromSeconds(32)).TotalSeconds));
        Assert.Equal([1, 1, 1, 2, 4, 5, 5], Enumerable.Range(0, 7).Select(i => ArmConnection.PollSchedule(i, TimeSpan.FromSeconds(5)).TotalSeconds));
        Assert.Equal(0.5, ArmConnection.PollSchedule(0, TimeSpan.FromMilliseconds(500)).TotalSeconds);
        Assert.Equal(TimeSpan.FromSeconds(32), new AzureOptions().PollingInterval);
    }

    [Theory]
    [InlineData(null, new[] { 1.0, 1, 1, 2, 4 })]
    [InlineData("7", new[] { 7.0, 7, 7, 7, 7 })]
    public async Task PollsWithoutRetryAfter_FollowTheSchedule_AndARetryAfterIsFollowed(string? retryAfter, double[] expected)
    {
        using var azure = new ScriptedAzure();
        var times = new List<DateTimeOffset>();
        (string, string)[] Headers(params (string, string)[] more) => retryAfter is null ? more : [.. more, ("Retry-After", retryAfter)];
        HttpResponseMessage Answer(HttpStatusCode status, string? body, params (string, string)[] headers)
        {
            times.Add(azure.Time.GetUtcNow());
            return ScriptedHandler.Response(status, body, Headers(headers));
        }

        azure.Handler.Then(_ => Answer(HttpStatusCode.Accepted, null, ("Location", Accepted)));
        for (var i = 0; i < 4; i++)
        {
            azure.Handler.Then(_ => Answer(HttpStatusCode.Accepted, null, ("Location", Accepted)));
        }

        azure.Handler
            .Then(_ => Answer(HttpStatusCode.OK, null))
            .Then(_ => Answer(HttpStatusCode.OK, """{"name":"4","properties":{"modelType":"mlflow_model"}}"""));

        await azure.MachineLearning.PublishModelVersionAsync(Dev, "fraud", "4", Registry).WithClock(azure.Time, TimeSpan.FromMilliseconds(250));

        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Take(5).ToList();
        for (var i = 0; i < expected.Length; i++)
        {
            // Never sooner than the schedule (the fake clock only moves forward in steps while the client waits).
            Assert.True(gaps[i] >= expected[i], $"poll {i + 1} came {gaps[i]} s after the previous answer, sooner than {expected[i]} s");
        }

        // The old fixed 10-second interval would make these five waits 50 s at least.
        Assert.InRange(gaps.Sum(), expected.Sum(), expected.Sum() + 10);
    }
}
