using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

/// <summary>A secret's plaintext (a literal, or the value of a referenced environment variable) must never leave the secret writer.</summary>
public sealed class SecretRedactionTests : IDisposable
{
    private readonly string _literal = "literal-" + Guid.NewGuid().ToString("N");
    private readonly string _fromEnvironment = "from-env-" + Guid.NewGuid().ToString("N");
    private readonly EnvironmentVariableScope _variable;
    private readonly FakeLogCollector _logs = new();
    private readonly InMemoryGitHub _github;
    private readonly RepositoryId _repository;

    public SecretRedactionTests()
    {
        _variable = new EnvironmentVariableScope(_fromEnvironment);
        (_github, _repository) = NewGitHub();
    }

    public void Dispose() => _variable.Dispose();

    private RepositoryDefinition Definition => Repository(RepositoryName,
        Environment("prod")
            .RequireReviewers(User("ana"))
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretValue.FromValue(_literal))
            .WithSecret("AZURE_CREDENTIALS", SecretValue.FromEnvironmentVariable(_variable.Name)));

    private EnvironmentPlanner LoggingPlanner() => Planner(_github, logger: new FakeLogger<EnvironmentPlanner>(_logs));

    private EnvironmentApplier LoggingApplier() => Applier(_github, logger: new FakeLogger<EnvironmentApplier>(_logs));

    private void AssertNoPlaintext(string text)
    {
        Assert.DoesNotContain(_literal, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_fromEnvironment, text, StringComparison.Ordinal);
    }

    private string AllLogText() => string.Join("\n", _logs.GetSnapshot().Select(r =>
        r.ToString() + "|" + r.Message + "|" + r.Exception + "|" +
        string.Join(";", r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [])));

    [Fact]
    public async Task PlanRenderings_HoldNoPlaintext_ForCreatesAndUpdates()
    {
        var create = await LoggingPlanner().PlanAsync(Definition);
        _github.Seed(_repository, Environment("prod").WithSecret("TOKEN", SecretValue.FromValue("old")).WithSecret("AZURE_CREDENTIALS", SecretValue.FromValue("old")));
        var update = await LoggingPlanner().PlanAsync(Definition, new PlanOptions { UpdateSecrets = true });

        Assert.Equal(2, create.Changes.Count(c => c.Kind == ChangeKind.Secret && c.Action == ChangeAction.Create));
        Assert.Equal(2, update.Changes.Count(c => c.Kind == ChangeKind.Secret && c.Action == ChangeAction.Update));
        foreach (var plan in new[] { create, update })
        {
            AssertNoPlaintext(plan.ToText());
            AssertNoPlaintext(plan.ToJson());
            AssertNoPlaintext(plan.ToMarkdown());
            AssertNoPlaintext(plan.ToString());
            AssertNoPlaintext(string.Join("\n", plan.Changes.Select(c => c.Describe() + c.Before + c.After)));
        }

        Assert.NotEmpty(_logs.GetSnapshot());
        AssertNoPlaintext(AllLogText());
    }

    [Fact]
    public async Task SuccessfulApply_ResultAndLogsHoldNoPlaintext()
    {
        var plan = await LoggingPlanner().PlanAsync(Definition);

        var result = await LoggingApplier().ApplyAsync(plan);

        Assert.True(result.Succeeded, result.ToString());
        // The values did reach GitHub...
        Assert.True(_github.GetSecretValue(_repository, "prod", "TOKEN")!.TryRevealLiteral(out var token));
        Assert.Equal(_literal, token);
        Assert.True(_github.GetSecretValue(_repository, "prod", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var credentials));
        Assert.Equal(_fromEnvironment, credentials);
        // ...and nothing else.
        AssertNoPlaintext(result.ToString());
        AssertNoPlaintext(string.Join("\n", _github.Calls));
        Assert.Equal(plan.Changes.Length, _logs.GetSnapshot().Count(r => r.Category == typeof(EnvironmentApplier).FullName && r.Level == LogLevel.Information));
        AssertNoPlaintext(AllLogText());
    }

    [Fact]
    public async Task FailedSecretWrite_ResultExceptionsAndLogsHoldNoPlaintext()
    {
        var plan = await LoggingPlanner().PlanAsync(Definition);
        _github.Faults.FailWhen(c => c.Operation == "actions/create-or-update-environment-secret" && c.Target == "AZURE_CREDENTIALS");

        var result = await LoggingApplier().ApplyAsync(plan);

        var failed = Assert.Single(result.Results, r => r.Outcome == ChangeOutcome.Failed);
        Assert.Equal("AZURE_CREDENTIALS", failed.Change.Target);
        Assert.IsType<RemoteServiceException>(failed.Error);
        AssertNoPlaintext(failed.Error!.ToString());
        AssertNoPlaintext(result.ToString());
        var error = Assert.Single(_logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Same(failed.Error, error.Exception);
        AssertNoPlaintext(AllLogText());
    }

    [Fact]
    public async Task OversizedResolvedSecret_FailsBeforeWriting_WithoutPlaintextInTheError()
    {
        var huge = "huge-" + Guid.NewGuid().ToString("N") + new string('x', 50 * 1024);
        using var big = new EnvironmentVariableScope(huge);
        var plan = await LoggingPlanner().PlanAsync(Repository(RepositoryName,
            Environment("prod").WithSecret("BIG", SecretValue.FromEnvironmentVariable(big.Name))));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => LoggingApplier().ApplyAsync(plan));

        var violation = Assert.Single(error.Result.Errors);
        Assert.Equal((ValidationRules.SecretValueSize, "environments[prod].secrets[BIG]"), (violation.Rule, violation.Path));
        Assert.DoesNotContain(huge[..37], error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(huge[..37], violation.OffendingValue ?? string.Empty, StringComparison.Ordinal);
        Assert.Empty(_github.Writes);
    }
}
