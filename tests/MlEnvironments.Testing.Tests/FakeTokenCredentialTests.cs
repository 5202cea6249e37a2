using Azure.Core;
using Microsoft.Extensions.Time.Testing;

namespace MlEnvironments.Testing.Tests;

public class FakeTokenCredentialTests
{
    private static readonly TokenRequestContext Arm = new(["https://management.azure.com/.default"]);

    [Fact]
    public async Task AnswersTheFixedToken_ExpiringALifetimeAfterTheRequest_OnTheGivenClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var credential = new FakeTokenCredential("t-123", time);

        var first = credential.GetToken(Arm, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        credential.Lifetime = TimeSpan.FromMinutes(5);
        var second = await credential.GetTokenAsync(Arm, CancellationToken.None);

        Assert.Equal(("t-123", new DateTimeOffset(2026, 12, 7, 13, 0, 0, TimeSpan.Zero)), (first.Token, first.ExpiresOn));
        Assert.Equal(("t-123", new DateTimeOffset(2026, 12, 7, 12, 15, 0, TimeSpan.Zero)), (second.Token, second.ExpiresOn));
    }

    [Fact]
    public void ANonPositiveLifetime_AnswersAnExpiredToken()
    {
        var time = new FakeTimeProvider();
        var credential = new FakeTokenCredential(FakeTokenCredential.DefaultToken, time) { Lifetime = TimeSpan.FromSeconds(-1) };

        Assert.True(credential.GetToken(Arm, CancellationToken.None).ExpiresOn < time.GetUtcNow());
    }

    [Fact]
    public async Task CountsSynchronousAndAsynchronousCalls_AndRecordsTheScopesInOrder()
    {
        var credential = new FakeTokenCredential();

        credential.GetToken(Arm, CancellationToken.None);
        await credential.GetTokenAsync(new TokenRequestContext(["https://ml.azure.com/.default", "openid"]), CancellationToken.None);
        await credential.GetTokenAsync(Arm, CancellationToken.None);

        Assert.Equal((1, 2, 3), (credential.SyncCalls, credential.AsyncCalls, credential.Calls));
        Assert.Equal(["https://management.azure.com/.default", "https://ml.azure.com/.default", "openid", "https://management.azure.com/.default"], credential.RequestedScopes);
        Assert.Equal(FakeTokenCredential.DefaultToken, credential.Token);
    }

    [Fact]
    public async Task ConcurrentRequests_AreAllCounted()
    {
        var credential = new FakeTokenCredential();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            if (i % 2 == 0)
            {
                credential.GetToken(Arm, CancellationToken.None);
            }
            else
            {
                await credential.GetTokenAsync(Arm, CancellationToken.None);
            }
        })));

        Assert.Equal((100, 100, 200), (credential.SyncCalls, credential.AsyncCalls, credential.RequestedScopes.Count));
    }

    [Fact]
    public async Task ACancelledRequest_Throws_AndIsNotCounted()
    {
        var credential = new FakeTokenCredential();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Throws<OperationCanceledException>(() => credential.GetToken(Arm, cancelled.Token));
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await credential.GetTokenAsync(Arm, cancelled.Token));

        Assert.Equal(0, credential.Calls);
        Assert.Empty(credential.RequestedScopes);
    }

    [Fact]
    public void ToString_NeverShowsTheToken()
    {
        var credential = new FakeTokenCredential("secret-looking-token");
        credential.GetToken(Arm, CancellationToken.None);

        Assert.DoesNotContain("secret-looking-token", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains("calls: 1", credential.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnEmptyToken_IsRefused_NamingTheParameter(string token)
    {
        var error = Assert.Throws<ArgumentException>(() => new FakeTokenCredential(token));

        Assert.Equal("token", error.ParamName);
    }
}
