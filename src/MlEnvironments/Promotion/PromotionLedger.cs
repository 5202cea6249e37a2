using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Promotion;

/// <summary>The promotion ledger on GitHub deployments.</summary>
public sealed partial class PromotionLedger : IPromotionLedger, IPromotionTimeline
{
    /// <summary>The deployment task that marks ledger entries (Actions' own deployments use <c>deploy</c>).</summary>
    public const string Task = "deploy:model";

    private const string Marker = "mlenv.promotion/v1";
    private readonly IGitHubDeploymentReader _reader;
    private readonly IGitHubDeploymentWriter? _writer;

    /// <summary>Creates a ledger.</summary>
    /// <param name="reader">Reads deployments.</param>
    /// <param name="writer">Writes deployments; only the promoter writes.</param>
    public PromotionLedger(IGitHubDeploymentReader reader, IGitHubDeploymentWriter? writer = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _writer = writer;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PromotionRecord>> GetHistoryAsync(RepositoryId repository, string environment, string? modelName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var records = new List<PromotionRecord>();
        await foreach (var record in ReadAsync(repository, environment, modelName, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return records;
    }

    /// <inheritdoc />
    public async Task<PromotionRecord?> GetCurrentAsync(RepositoryId repository, string environment, string modelName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(modelName);
        await foreach (var record in ReadAsync(repository, environment, modelName, cancellationToken).ConfigureAwait(false))
        {
            if (record.State == PromotionState.Succeeded)
            {
                return record;
            }
        }

        return null;
    }

    /// <summary>
    /// The environment's latest succeeded entries for the model, newest first: the current one first, at most
    /// <paramref name="count"/> (at least one, the current, is looked for). Stops reading at the last one needed.
    /// </summary>
    internal async Task<ImmutableArray<PromotionRecord>> GetRecentAsync(RepositoryId repository, string environment, string modelName, int count, CancellationToken cancellationToken)
    {
        var wanted = Math.Max(1, count);
        var records = ImmutableArray.CreateBuilder<PromotionRecord>(wanted);
        await foreach (var record in ReadAsync(repository, environment, modelName, cancellationToken).ConfigureAwait(false))
        {
            if (record.State == PromotionState.Succeeded)
            {
                records.Add(record);
                if (records.Count == wanted)
                {
                    break;
                }
            }
        }

        return records.ToImmutable();
    }

    internal async Task<GitHubDeployment> StartAsync(RepositoryId repository, LedgerEntry entry, string @ref, bool production, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("This ledger was created without a deployment writer.");
        var deployment = await writer.CreateDeploymentAsync(
            repository,
            new GitHubNewDeployment(@ref, entry.Environment)
            {
                Task = Task,
                PayloadJson = Serialize(entry),
                Description = entry.Kind == PromotionKind.Rollback
                    ? $"Roll back {entry.ModelName} to version {entry.Version}"
                    : $"Promote {entry.ModelName} version {entry.Version} from {entry.SourceEnvironment}",
                ProductionEnvironment = production,
                TransientEnvironment = false,
                AutoMerge = false,
                RequiredContexts = [],
            },
            cancellationToken).ConfigureAwait(false);
        await writer.CreateDeploymentStatusAsync(repository, deployment.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.InProgress)
        {
            Description = deployment.Description,
        }, cancellationToken).ConfigureAwait(false);
        return deployment;
    }

    internal Task CompleteAsync(RepositoryId repository, long deploymentId, GitHubDeploymentState state, string description, Uri? environmentUrl, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("This ledger was created without a deployment writer.");
        return writer.CreateDeploymentStatusAsync(repository, deploymentId, new GitHubNewDeploymentStatus(state)
        {
            Description = description,
            EnvironmentUrl = environmentUrl,
        }, cancellationToken);
    }

    internal Task<IReadOnlyList<GitHubDeploymentStatus>> ReadStatusesAsync(RepositoryId repository, long deploymentId, CancellationToken cancellationToken) =>
        _reader.ListDeploymentStatusesAsync(repository, deploymentId, cancellationToken);

    private async IAsyncEnumerable<PromotionRecord> ReadAsync(RepositoryId repository, string environment, string? modelName, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var deployments = await _reader.ListDeploymentsAsync(repository, environment, Task, cancellationToken).ConfigureAwait(false);
        foreach (var deployment in deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id))
        {
            var entry = Parse(deployment.PayloadJson);
            if (entry is null || (modelName is not null && !string.Equals(entry.ModelName, modelName, StringComparison.Ordinal)))
            {
                continue;
            }

            var statuses = await _reader.ListDeploymentStatusesAsync(repository, deployment.Id, cancellationToken).ConfigureAwait(false);
            yield return ToRecord(deployment, entry, statuses);
        }
    }

    internal static PromotionRecord ToRecord(GitHubDeployment deployment, LedgerEntry entry, IReadOnlyList<GitHubDeploymentStatus> statuses)
    {
        // GitHub marks earlier successes 'inactive' when a later one succeeds: a success anywhere in the list counts.
        var state = statuses.Any(s => s.State == GitHubDeploymentState.Success)
            ? PromotionState.Succeeded
            : statuses.Any(s => s.State is GitHubDeploymentState.Failure or GitHubDeploymentState.Error)
                ? PromotionState.Failed
                : PromotionState.InProgress;
        var latest = statuses.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .FirstOrDefault(s => s.State != GitHubDeploymentState.Inactive);
        return new PromotionRecord(
            deployment.Id,
            deployment.Environment,
            entry.Kind,
            state,
            entry.ModelName,
            entry.Version,
            entry.SourceEnvironment,
            entry.SourceWorkspace,
            entry.TargetWorkspace,
            entry.JobName,
            entry.Metrics,
            entry.Verdicts,
            entry.GatesSkipped,
            entry.WorkflowRunId,
            entry.Approver,
            entry.Reason,
            deployment.CreatorLogin,
            deployment.CreatedAt,
            latest?.Description,
            entry.ChampionVersion,
            statuses.Where(s => s.State == GitHubDeploymentState.Success).Select(s => (DateTimeOffset?)s.CreatedAt).Min());
    }

    internal static string Serialize(LedgerEntry entry)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("mlenv", Marker);
            writer.WriteString("kind", entry.Kind == PromotionKind.Rollback ? "rollback" : "promotion");
            writer.WriteString("model", entry.ModelName);
            writer.WriteString("version", entry.Version);
            WriteOptional(writer, "sourceEnvironment", entry.SourceEnvironment);
            WriteOptional(writer, "sourceWorkspace", entry.SourceWorkspace);
            WriteOptional(writer, "targetWorkspace", entry.TargetWorkspace);
            WriteOptional(writer, "job", entry.JobName);
            writer.WriteStartObject("metrics");
            foreach (var metric in entry.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                if (double.IsFinite(metric.Value))
                {
                    writer.WriteNumber(metric.Key, metric.Value);
                }
            }

            writer.WriteEndObject();
            if (entry.ChampionVersion is not null)
            {
                writer.WriteString("championVersion", entry.ChampionVersion);
            }

            writer.WriteStartArray("verdicts");
            foreach (var verdict in entry.Verdicts)
            {
                writer.WriteStartObject();
                writer.WriteString("gate", verdict.Gate);
                writer.WriteBoolean("passed", verdict.Passed);
                writer.WriteString("reason", verdict.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteBoolean("gatesSkipped", entry.GatesSkipped);
            if (entry.WorkflowRunId is { } run)
            {
                writer.WriteNumber("workflowRun", run);
            }

            WriteOptional(writer, "approver", entry.Approver);
            WriteOptional(writer, "reason", entry.Reason);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static LedgerEntry? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("mlenv", out var marker) ||
                marker.ValueKind != JsonValueKind.String || marker.GetString() != Marker ||
                Text(root, "model") is not { } model || Text(root, "version") is not { } version)
            {
                return null;
            }

            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (root.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in m.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Number)
                    {
                        metrics[property.Name] = property.Value.GetDouble();
                    }
                }
            }

            var verdicts = new List<PromotionRecordVerdict>();
            if (root.TryGetProperty("verdicts", out var v) && v.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in v.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        verdicts.Add(new PromotionRecordVerdict(
                            Text(item, "gate") ?? string.Empty,
                            item.TryGetProperty("passed", out var p) && p.ValueKind == JsonValueKind.True,
                            Text(item, "reason") ?? string.Empty));
                    }
                }
            }

            return new LedgerEntry
            {
                Kind = Text(root, "kind") == "rollback" ? PromotionKind.Rollback : PromotionKind.Promotion,
                ModelName = model,
                Version = version,
                Environment = string.Empty,
                SourceEnvironment = Text(root, "sourceEnvironment"),
                SourceWorkspace = Text(root, "sourceWorkspace"),
                TargetWorkspace = Text(root, "targetWorkspace"),
                JobName = Text(root, "job"),
                Metrics = metrics,
                ChampionVersion = Text(root, "championVersion"),
                Verdicts = verdicts,
                GatesSkipped = root.TryGetProperty("gatesSkipped", out var s) && s.ValueKind == JsonValueKind.True,
                WorkflowRunId = root.TryGetProperty("workflowRun", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var id) ? id : null,
                Approver = Text(root, "approver"),
                Reason = Text(root, "reason"),
            };
        }
        catch (JsonException)
        {
            // Another tool's deployment with the same task: not ours, not an error.
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>What a ledger entry's payload holds.</summary>
internal sealed class LedgerEntry
{
    public required PromotionKind Kind { get; init; }

    public required string ModelName { get; init; }

    public required string Version { get; init; }

    public required string Environment { get; init; }

    public string? SourceEnvironment { get; init; }

    public string? SourceWorkspace { get; init; }

    public string? TargetWorkspace { get; init; }

    public string? JobName { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public string? ChampionVersion { get; init; }

    public required IReadOnlyList<PromotionRecordVerdict> Verdicts { get; init; }

    public bool GatesSkipped { get; init; }

    public long? WorkflowRunId { get; init; }

    public string? Approver { get; init; }

    public string? Reason { get; init; }
}
