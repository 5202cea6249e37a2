using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

/// <summary>"Which version was current in an environment at T", from the ledger's status timestamps.</summary>
public sealed class TimeTravelTests : IAsyncDisposable
{
    private const string Subscription = "00000000-0000-0000-0000-000000000003";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/churn");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg", "mlw-dev");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg", "mlw-prod");
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryGitHub _github;
    private readonly InMemoryAzureMachineLearning _ml = new();
    private readonly ServiceProvider _provider;

    public TimeTravelTests()
    {
        _github = new InMemoryGitHub(_time);
        _github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        _ml.AddWorkspace(Dev).AddWorkspace(Prod);
        var services = new ServiceCollection();
        services.AddMlEnvironments(o => o.WritePause = TimeSpan.Zero).UseInMemory(_github, _ml);
        _provider = services.BuildServiceProvider();
    }

    private static RepositoryDefinition Definition => Repository(Repo, Environment("dev").BindWorkspace(Dev), Environment("prod").BindWorkspace(Prod));

    private IPromotionTimeline Timeline => _provider.GetRequiredService<IPromotionTimeline>();

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task AroundAPromotionAndARollback_AnswersWhatWasCurrentThen()
    {
        await RegisterAsync("1");
        await RegisterAsync("2");
        var promoter = _provider.GetRequiredService<IModelPromoter>();

        _time.Advance(TimeSpan.FromHours(1));
        var v1 = await promoter.PromoteAsync(new PromotionRequest(Definition, "churn", "1", "dev", "prod"));
        var v1At = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromDays(1));
        var v2 = await promoter.PromoteAsync(new PromotionRequest(Definition, "churn", "2", "dev", "prod"));
        var v2At = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromDays(1));
        var back = await promoter.RollbackAsync(new RollbackRequest(Definition, "churn", "prod") { Reason = "latency" });
        var backAt = _time.GetUtcNow();
        Assert.Equal(PromotionOutcome.RolledBack, back.Outcome);

        Assert.Null(await Timeline.GetCurrentAsync(Repo, "prod", "churn", Start));
        Assert.Null(await Timeline.GetCurrentAsync(Repo, "prod", "churn", v1At.AddTicks(-1)));
        Assert.Equal(v1.Record!.DeploymentId, (await Timeline.GetCurrentAsync(Repo, "prod", "churn", v1At))!.DeploymentId);
        Assert.Equal("1", (await Timeline.GetCurrentAsync(Repo, "prod", "churn", v2At.AddMinutes(-1)))!.Version);
        var between = (await Timeline.GetCurrentAsync(Repo, "prod", "churn", v2At.AddHours(12)))!;
        Assert.Equal((v2.Record!.DeploymentId, "2", PromotionKind.Promotion), (between.DeploymentId, between.Version, between.Kind));
        var after = (await Timeline.GetCurrentAsync(Repo, "prod", "churn", backAt.AddSeconds(1)))!;
        Assert.Equal((back.Record!.DeploymentId, "1", PromotionKind.Rollback), (after.DeploymentId, after.Version, after.Kind));
        Assert.Equal(backAt, after.CompletedAt);

        // The same answer as "now" once everything has happened.
        var ledger = _provider.GetRequiredService<IPromotionLedger>();
        Assert.Equal((await ledger.GetCurrentAsync(Repo, "prod", "churn"))!.DeploymentId, after.DeploymentId);
    }

    [Fact]
    public async Task FailedAttempts_NeverMadeAnythingCurrent()
    {
        await RegisterAsync("1");
        await RegisterAsync("2", auc: 0.5);
        var definition = Repository(Repo, Environment("dev").BindWorkspace(Dev), Environment("prod").BindWorkspace(Prod).WithGates(MetricAtLeast("auc", 0.8)));
        var promoter = _provider.GetRequiredService<IModelPromoter>();
        await promoter.PromoteAsync(new PromotionRequest(definition, "churn", "1", "dev", "prod"));
        _time.Advance(TimeSpan.FromHours(2));
        var refused = await promoter.PromoteAsync(new PromotionRequest(definition, "churn", "2", "dev", "prod"));
        Assert.Equal(PromotionOutcome.GatesFailed, refused.Outcome);
        Assert.Null(refused.Record!.CompletedAt);

        Assert.Equal("1", (await Timeline.GetCurrentAsync(Repo, "prod", "churn", _time.GetUtcNow().AddHours(1)))!.Version);
    }

    [Fact]
    public void CurrentAt_OnRecordsFromTheFactory_OrdersBySuccessTime_NotCreationTime()
    {
        // Entry #2 was created first but succeeded last (a long registration): it is what became current last.
        var records = new[]
        {
            MlEnvironmentsModelFactory.PromotionRecord(1, "prod", "churn", "1", createdAt: Start, completedAt: Start.AddMinutes(1)),
            MlEnvironmentsModelFactory.PromotionRecord(2, "prod", "churn", "2", createdAt: Start.AddMinutes(2), completedAt: Start.AddMinutes(30)),
            MlEnvironmentsModelFactory.PromotionRecord(3, "prod", "churn", "3", createdAt: Start.AddMinutes(3), completedAt: Start.AddMinutes(10)),
            MlEnvironmentsModelFactory.PromotionRecord(4, "prod", "churn", "4", state: PromotionState.Failed, createdAt: Start.AddMinutes(4)),
        };

        Assert.Null(PromotionLedger.CurrentAt(records, Start));
        Assert.Equal(1, PromotionLedger.CurrentAt(records, Start.AddMinutes(5))!.DeploymentId);
        Assert.Equal(3, PromotionLedger.CurrentAt(records, Start.AddMinutes(10))!.DeploymentId);
        Assert.Equal(2, PromotionLedger.CurrentAt(records, Start.AddHours(1))!.DeploymentId);
        Assert.Null(records[3].CompletedAt);
    }

    [Fact]
    public void PointerStatus_IsDrift_WhenTheWorkspaceDisagreesWithTheLedger()
    {
        PromotionPointerStatus Status(string? ledger, params string[] marked) =>
            MlEnvironmentsModelFactory.PromotionPointerStatus("prod", "churn", Prod, ledger, ledger is null ? null : 7, marked);

        Assert.False(Status(null).IsDrift);
        Assert.False(Status("2", "2").IsDrift);
        Assert.True(Status("2").IsDrift);
        Assert.True(Status("2", "1").IsDrift);
        Assert.True(Status("2", "1", "2").IsDrift);
        Assert.True(Status(null, "1").IsDrift);
        Assert.Contains("marks version 1", Status("2", "1").ToString());
    }

    private async Task RegisterAsync(string version, double auc = 0.9)
    {
        var job = "job-" + version;
        _ml.AddJob(Dev, job, MachineLearningJobStatus.Completed);
        _ml.LogMetric(Dev, job, "auc", auc);
        await _ml.CreateOrUpdateModelVersionAsync(Dev, "churn", version, new MachineLearningModelVersionProperties { JobName = job, ModelUri = new Uri("azureml://jobs/" + job + "/outputs/model") });
    }
}
