using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MlEnvironments.Promotion;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>
/// The JSON the promotion commands print (<c>--output json</c>), written with <see cref="Utf8JsonWriter"/>: camelCase
/// field names that do not change between versions (new fields may be added), enums as camelCase strings, numbers as
/// JSON numbers, times in ISO 8601. Absent values are <c>null</c>, never left out. The README lists the fields.
/// </summary>
internal static class PromotionJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><c>promote</c>, <c>promote --dry-run</c> (no result) and <c>rollback</c>.</summary>
    public static string Promotion(RepositoryId repository, PromotionEvaluation evaluation, PromotionResult? result) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteBoolean("dryRun", result is null);
        String(writer, "outcome", result is null ? null : Camel(result.Outcome));
        writer.WriteBoolean("succeeded", result?.Succeeded ?? (evaluation.Passed || evaluation.AlreadyPromoted));
        writer.WriteString("message", result?.Message ?? evaluation.ToString());
        writer.WritePropertyName("evaluation");
        Evaluation(writer, evaluation);
        writer.WritePropertyName("record");
        Record(writer, result?.Record);
        if (result?.Registered is { } registered)
        {
            writer.WriteStartObject("registered");
            writer.WriteString("model", registered.ModelName);
            writer.WriteString("version", registered.Version);
            writer.WriteString("workspace", registered.Workspace.ResourceId);
            writer.WriteString("id", registered.ResourceId);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("registered");
        }

        writer.WriteEndObject();
    });

    /// <summary><c>history</c>.</summary>
    public static string History(RepositoryId repository, string environment, string? model, IEnumerable<PromotionRecord> records, IEnumerable<PromotionPointerStatus>? pointers = null) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteString("environment", environment);
        String(writer, "model", model);
        writer.WriteStartArray("records");
        foreach (var record in records)
        {
            Record(writer, record);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("pointers");
        foreach (var pointer in pointers ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("model", pointer.ModelName);
            writer.WriteString("workspace", pointer.Workspace.ResourceId);
            String(writer, "ledgerVersion", pointer.LedgerVersion);
            writer.WriteStartArray("markedVersions");
            foreach (var version in pointer.MarkedVersions)
            {
                writer.WriteStringValue(version);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("drift", pointer.IsDrift);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary><c>history --at</c>: the entry current in the environment at a moment, per model.</summary>
    public static string HistoryAt(RepositoryId repository, string environment, DateTimeOffset at, IEnumerable<(string Model, PromotionRecord? Current)> current) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteString("environment", environment);
        writer.WriteString("at", at);
        writer.WriteStartArray("current");
        foreach (var (model, record) in current)
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WritePropertyName("record");
            Record(writer, record);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary><c>pending</c>.</summary>
    public static string Pending(RepositoryId repository, IEnumerable<PendingPromotion> pending) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteStartArray("pending");
        foreach (var item in pending)
        {
            writer.WriteStartObject();
            writer.WriteNumber("runId", item.Run.Id);
            String(writer, "title", item.Run.DisplayTitle ?? item.Run.Name);
            String(writer, "url", item.Run.HtmlUrl?.ToString());
            String(writer, "startedBy", item.Run.TriggeringActorLogin ?? item.Run.ActorLogin);
            writer.WriteString("createdAt", item.Run.CreatedAt);
            String(writer, "model", item.ModelName);
            String(writer, "version", item.Version);
            writer.WriteStartArray("waitsOn");
            foreach (var deployment in item.Deployments)
            {
                writer.WriteStartObject();
                writer.WriteString("environment", deployment.EnvironmentName);
                writer.WriteStartArray("reviewers");
                foreach (var reviewer in deployment.Reviewers)
                {
                    writer.WriteStringValue(reviewer.ToReviewer().ToString());
                }

                writer.WriteEndArray();
                writer.WriteBoolean("currentUserCanApprove", deployment.CurrentUserCanApprove);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("evaluations");
            foreach (var evaluation in item.Evaluations)
            {
                Evaluation(writer, evaluation);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("problems");
            foreach (var problem in item.Problems)
            {
                writer.WriteStringValue(problem);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary><c>approve</c> and <c>reject</c>.</summary>
    public static string Review(RepositoryId repository, long runId, string decision, IEnumerable<string> environments, string comment) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteNumber("runId", runId);
        writer.WriteString("decision", decision);
        writer.WriteStartArray("environments");
        foreach (var environment in environments)
        {
            writer.WriteStringValue(environment);
        }

        writer.WriteEndArray();
        writer.WriteString("comment", comment);
        writer.WriteEndObject();
    });

    /// <summary><c>dispatch</c>.</summary>
    public static string Dispatch(RepositoryId repository, string workflow, string @ref, string model, string version, string? stopAt) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("repository", repository.ToString());
        writer.WriteString("workflow", workflow);
        writer.WriteString("ref", @ref);
        writer.WriteString("model", model);
        writer.WriteString("version", version);
        String(writer, "stopAt", stopAt);
        writer.WriteEndObject();
    });

    private static void Evaluation(Utf8JsonWriter writer, PromotionEvaluation evaluation)
    {
        writer.WriteStartObject();
        writer.WriteString("model", evaluation.Candidate.ModelName);
        writer.WriteString("version", evaluation.Candidate.Version);
        writer.WriteString("source", evaluation.SourceEnvironment);
        writer.WriteString("target", evaluation.TargetEnvironment);
        writer.WriteString("sourceWorkspace", evaluation.Candidate.Workspace.ResourceId);
        writer.WriteString("targetWorkspace", evaluation.TargetWorkspace.ResourceId);
        String(writer, "job", evaluation.Candidate.JobName);
        writer.WriteBoolean("passed", evaluation.Passed);
        writer.WriteBoolean("alreadyPromoted", evaluation.AlreadyPromoted);
        Metrics(writer, "metrics", evaluation.Candidate.Metrics);
        if (evaluation.Champion is { } champion)
        {
            writer.WriteStartObject("champion");
            writer.WriteString("version", champion.Version);
            writer.WriteNumber("id", champion.DeploymentId);
            writer.WriteString("promotedAt", champion.CreatedAt);
            String(writer, "approver", champion.Approver);
            Metrics(writer, "metrics", champion.Metrics);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("champion");
        }

        writer.WriteStartArray("history");
        foreach (var promoted in evaluation.History)
        {
            writer.WriteStartObject();
            writer.WriteString("version", promoted.Version);
            writer.WriteNumber("id", promoted.DeploymentId);
            writer.WriteString("kind", Camel(promoted.Kind));
            writer.WriteString("promotedAt", promoted.CreatedAt);
            Metrics(writer, "metrics", promoted.Metrics);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("verdicts");
        foreach (var verdict in evaluation.Verdicts)
        {
            writer.WriteStartObject();
            writer.WriteString("gate", verdict.Gate.ToString());
            writer.WriteString("kind", Camel(verdict.Gate.Kind));
            String(writer, "metric", verdict.Gate.Metric);
            writer.WriteBoolean("passed", verdict.Passed);
            Number(writer, "observed", verdict.Observed);
            Number(writer, "champion", verdict.ChampionValue);
            Number(writer, "required", verdict.Required);
            writer.WriteString("reason", verdict.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Record(Utf8JsonWriter writer, PromotionRecord? record)
    {
        if (record is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("id", record.DeploymentId);
        writer.WriteString("environment", record.Environment);
        writer.WriteString("kind", Camel(record.Kind));
        writer.WriteString("state", Camel(record.State));
        writer.WriteString("model", record.ModelName);
        writer.WriteString("version", record.Version);
        String(writer, "source", record.SourceEnvironment);
        String(writer, "sourceWorkspace", record.SourceWorkspace);
        String(writer, "targetWorkspace", record.TargetWorkspace);
        String(writer, "job", record.JobName);
        Metrics(writer, "metrics", record.Metrics);
        writer.WriteStartArray("verdicts");
        foreach (var verdict in record.Verdicts)
        {
            writer.WriteStartObject();
            writer.WriteString("gate", verdict.Gate);
            writer.WriteBoolean("passed", verdict.Passed);
            writer.WriteString("reason", verdict.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("gatesSkipped", record.GatesSkipped);
        if (record.WorkflowRunId is { } run)
        {
            writer.WriteNumber("runId", run);
        }
        else
        {
            writer.WriteNull("runId");
        }

        String(writer, "approver", record.Approver);
        String(writer, "reason", record.Reason);
        String(writer, "createdBy", record.CreatorLogin);
        writer.WriteString("createdAt", record.CreatedAt);
        if (record.CompletedAt is { } completed)
        {
            writer.WriteString("completedAt", completed);
        }
        else
        {
            writer.WriteNull("completedAt");
        }

        String(writer, "status", record.StatusDescription);
        writer.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> metrics)
    {
        writer.WriteStartObject(name);
        foreach (var metric in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            Number(writer, metric.Key, metric.Value);
        }

        writer.WriteEndObject();
    }

    private static void String(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>An enum value in camelCase: <c>GatesFailed</c> → <c>gatesFailed</c>.</summary>
    internal static string Camel<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        return string.Concat(char.ToLowerInvariant(text[0]).ToString(), text.AsSpan(1));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
