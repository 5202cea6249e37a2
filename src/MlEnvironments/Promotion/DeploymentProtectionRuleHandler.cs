using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlEnvironments.GitHub;

namespace MlEnvironments.Promotion;

/// <summary>One webhook delivery as it arrived: the headers that matter and the raw body (the signature covers its exact bytes).</summary>
public sealed class WebhookDelivery
{
    /// <summary>Creates a delivery.</summary>
    /// <param name="eventName">The <c>X-GitHub-Event</c> header.</param>
    /// <param name="deliveryId">The <c>X-GitHub-Delivery</c> header.</param>
    /// <param name="signature256">The <c>X-Hub-Signature-256</c> header (<c>sha256=&lt;hex&gt;</c>).</param>
    /// <param name="body">The raw body.</param>
    public WebhookDelivery(string? eventName, string? deliveryId, string? signature256, ReadOnlyMemory<byte> body)
    {
        EventName = eventName;
        DeliveryId = deliveryId;
        Signature256 = signature256;
        Body = body;
    }

    /// <summary>The event.</summary>
    public string? EventName { get; }

    /// <summary>The delivery's id.</summary>
    public string? DeliveryId { get; }

    /// <summary>The signature header.</summary>
    public string? Signature256 { get; }

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Computes the <c>X-Hub-Signature-256</c> value GitHub sends for a body and secret (for tests and emulators).</summary>
    /// <param name="body">The body.</param>
    /// <param name="secret">The webhook secret.</param>
    /// <returns><c>sha256=&lt;hex&gt;</c>.</returns>
    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
    }
}

/// <summary>What the handler decided.</summary>
public enum ProtectionRuleDecisionKind
{
    /// <summary>
    /// The delivery was unsigned, wrongly signed, stale (no <c>deployment.created_at</c>, or older than
    /// <see cref="DeploymentProtectionRuleOptions.MaxDeliveryAge"/>) or a replay of a body answered before: refused,
    /// GitHub not called (HTTP 401).
    /// </summary>
    Unauthorized,

    /// <summary>Signed but malformed (HTTP 400); GitHub not called.</summary>
    Malformed,

    /// <summary>Another event or action: nothing to do (HTTP 202).</summary>
    Ignored,

    /// <summary>The gates passed and GitHub was told <c>approved</c> (HTTP 200).</summary>
    Approved,

    /// <summary>
    /// A gate failed, the candidate could not be identified, or the gates could not be evaluated (fail closed), and
    /// GitHub was told <c>rejected</c> with the reason (HTTP 200); re-running the job asks again.
    /// </summary>
    Rejected,

    /// <summary>GitHub refused the answer (HTTP 500); the delivery is not marked as answered, so a redelivery tries again.</summary>
    Failed,
}

/// <summary>The handler's decision on one delivery.</summary>
public sealed class ProtectionRuleDecision
{
    internal ProtectionRuleDecision(ProtectionRuleDecisionKind kind, string message, RepositoryId? repository = null, long? runId = null, string? environment = null, string? comment = null, PromotionEvaluation? evaluation = null)
    {
        Kind = kind;
        Message = message;
        Repository = repository;
        RunId = runId;
        Environment = environment;
        Comment = comment;
        Evaluation = evaluation;
    }

    /// <summary>What was decided.</summary>
    public ProtectionRuleDecisionKind Kind { get; }

    /// <summary>The HTTP status code to answer the delivery with.</summary>
    public int StatusCode => Kind switch
    {
        ProtectionRuleDecisionKind.Unauthorized => 401,
        ProtectionRuleDecisionKind.Malformed => 400,
        ProtectionRuleDecisionKind.Ignored => 202,
        ProtectionRuleDecisionKind.Failed => 500,
        _ => 200,
    };

    /// <summary>One line for the log and the HTTP answer (never a secret).</summary>
    public string Message { get; }

    /// <summary>The repository.</summary>
    public RepositoryId? Repository { get; }

    /// <summary>The run.</summary>
    public long? RunId { get; }

    /// <summary>The environment.</summary>
    public string? Environment { get; }

    /// <summary>The comment sent to GitHub.</summary>
    public string? Comment { get; }

    /// <summary>The evaluation, when one was made.</summary>
    public PromotionEvaluation? Evaluation { get; }

    /// <summary>Returns the kind and the message.</summary>
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>Options of the <see cref="DeploymentProtectionRuleHandler"/>.</summary>
public sealed class DeploymentProtectionRuleOptions
{
    /// <summary>The configuration section: <c>MlEnvironments:ProtectionRule</c>.</summary>
    public const string SectionName = "MlEnvironments:ProtectionRule";

    /// <summary>Where the App's webhook secret comes from (an environment variable or configuration key; never the value itself). Required.</summary>
    public SecretValue? WebhookSecret { get; set; }

    /// <summary>The repositories the App decides for; a repository or environment not declared here is rejected.</summary>
    public RepositorySetDefinition Definitions { get; set; } = RepositorySetDefinition.Empty;

    /// <summary>
    /// How old a deployment may be when its webhook arrives (default 10 minutes). Older deliveries are refused as stale;
    /// a body answered within the window is refused as a replay (keyed on the run, environment and deployment inside the
    /// signed body, not on the unsigned delivery id). The record of answered bodies is in memory: run one instance, or
    /// rely on the freshness window alone across instances.
    /// </summary>
    public TimeSpan MaxDeliveryAge { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// An automatic gate as a GitHub custom deployment protection rule: verifies a <c>deployment_protection_rule</c> webhook,
/// works out the model and version being deployed, evaluates the target environment's gates, and answers GitHub with
/// <c>approved</c> or <c>rejected</c> and a comment that shows the numbers.
/// </summary>
public sealed partial class DeploymentProtectionRuleHandler
{
    private const int CommentLimit = 1024;
    private readonly IModelPromoter _promoter;
    private readonly IGitHubCustomGateReviewer _reviewer;
    private readonly IGitHubWorkflowRunReader? _runs;
    private readonly ISecretValueResolver _secrets;
    private readonly DeploymentProtectionRuleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates the handler.</summary>
    /// <param name="promoter">Evaluates gates.</param>
    /// <param name="reviewer">Answers GitHub (with the App's installation token).</param>
    /// <param name="secrets">Resolves the webhook secret per delivery.</param>
    /// <param name="options">The options.</param>
    /// <param name="runs">Reads the run's title when the deployment's payload does not name the model.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Logs decisions (never the secret or the signature).</param>
    public DeploymentProtectionRuleHandler(
        IModelPromoter promoter,
        IGitHubCustomGateReviewer reviewer,
        ISecretValueResolver secrets,
        IOptions<DeploymentProtectionRuleOptions> options,
        IGitHubWorkflowRunReader? runs = null,
        TimeProvider? timeProvider = null,
        ILogger<DeploymentProtectionRuleHandler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(promoter);
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(options);
        _promoter = promoter;
        _reviewer = reviewer;
        _secrets = secrets;
        _options = options.Value;
        _runs = runs;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Handles one delivery.</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The decision; answer the delivery with <see cref="ProtectionRuleDecision.StatusCode"/>.</returns>
    public async Task<ProtectionRuleDecision> HandleAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var decision = await DecideAsync(delivery, cancellationToken).ConfigureAwait(false);
        LogDecision(_logger, delivery.DeliveryId ?? "(none)", decision.Kind, decision.Message);
        return decision;
    }

    /// <summary>
    /// Checks a delivery without deciding: signature, event, payload and freshness. GitHub waits at most 10 seconds
    /// for a webhook's HTTP answer, and a decision reads Azure and the ledger, so a web endpoint should answer from this
    /// check at once (202 when it returns <see langword="null"/>) and run <see cref="HandleAsync"/> in the background.
    /// </summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the secret's resolution.</param>
    /// <returns>The refusal (401, 400 or 202 for an ignored event), or <see langword="null"/> when the delivery should be decided.</returns>
    public async Task<ProtectionRuleDecision?> VerifyAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var (refusal, _) = await VerifyCoreAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            LogDecision(_logger, delivery.DeliveryId ?? "(none)", refusal.Kind, refusal.Message);
        }

        return refusal;
    }

    private async Task<ProtectionRuleDecision> DecideAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var (refusal, verified) = await VerifyCoreAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var payload = verified!;
        var now = _time.GetUtcNow();
        var created = payload.DeploymentCreatedAt!.Value;
        var key = string.Create(CultureInfo.InvariantCulture, $"{payload.Repository}|{payload.RunId}|{payload.Environment}|{payload.DeploymentId}|{created:O}");
        if (!TryClaim(key, now))
        {
            return new(ProtectionRuleDecisionKind.Unauthorized,
                $"Replayed delivery {delivery.DeliveryId}: run {payload.RunId}'s deployment to '{payload.Environment}' was answered already.", payload.Repository, payload.RunId, payload.Environment);
        }

        // 3. Decide, failing closed: anything that cannot be evaluated is rejected with the reason, so that the run
        //    does not wait for an answer that never comes; re-running the job asks again.
        var answered = false;
        try
        {
            ProtectionRuleDecision decision;
            try
            {
                decision = await EvaluateAsync(payload, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                decision = new(ProtectionRuleDecisionKind.Rejected, $"Could not evaluate the gates of '{payload.Environment}': {e.Message}", payload.Repository, payload.RunId, payload.Environment,
                    Cut($"❌ **mlenv** could not evaluate the gates of `{payload.Environment}` ({e.GetType().Name}); re-run the job to try again."));
            }

            try
            {
                await _reviewer.ReviewCustomGateAsync(payload.Repository, payload.RunId, payload.Environment,
                    decision.Kind == ProtectionRuleDecisionKind.Approved ? GitHubReviewState.Approved : GitHubReviewState.Rejected,
                    decision.Comment, cancellationToken).ConfigureAwait(false);
                answered = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new(ProtectionRuleDecisionKind.Failed, $"Decided '{decision.Kind}' but GitHub refused the answer: {e.Message}", payload.Repository, payload.RunId, payload.Environment);
            }

            return decision;
        }
        finally
        {
            if (!answered)
            {
                // Not answered (failure or cancellation): a redelivery must be able to try again.
                Release(key);
            }
        }
    }

    private async Task<(ProtectionRuleDecision? Refusal, Payload? Payload)> VerifyCoreAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        // 1. Authenticity first: nothing in the body is read before the signature checks out.
        var secretSource = _options.WebhookSecret
            ?? throw new InvalidOperationException($"{nameof(DeploymentProtectionRuleOptions)}.{nameof(DeploymentProtectionRuleOptions.WebhookSecret)} is not set.");
        var secret = await _secrets.ResolveAsync(secretSource, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(secret))
        {
            return (new(ProtectionRuleDecisionKind.Failed, $"The webhook secret ({secretSource}) is not available; cannot verify deliveries."), null);
        }

        if (string.IsNullOrEmpty(delivery.Signature256))
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized, "Unsigned delivery: X-Hub-Signature-256 is missing."), null);
        }

        var expected = Encoding.ASCII.GetBytes(WebhookDelivery.Sign(delivery.Body.Span, secret));
        var actual = Encoding.ASCII.GetBytes(delivery.Signature256.Trim());
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized, "Bad signature: X-Hub-Signature-256 does not match the body and the webhook secret."), null);
        }

        if (!string.Equals(delivery.EventName, "deployment_protection_rule", StringComparison.Ordinal))
        {
            return (new(ProtectionRuleDecisionKind.Ignored, $"Event '{delivery.EventName}' is not handled."), null);
        }

        Payload payload;
        try
        {
            payload = Payload.Read(delivery.Body);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return (new(ProtectionRuleDecisionKind.Malformed, "Malformed deployment_protection_rule payload: " + e.Message), null);
        }

        if (!string.Equals(payload.Action, "requested", StringComparison.Ordinal))
        {
            return (new(ProtectionRuleDecisionKind.Ignored, $"Action '{payload.Action}' is not handled."), null);
        }

        // 2. Freshness: the deployment's creation time is inside the signed body; without one, freshness cannot be
        //    proven and the delivery is refused. A body answered before is refused as a replay, whatever its
        //    delivery id (which the signature does not cover).
        var now = _time.GetUtcNow();
        if (payload.DeploymentCreatedAt is not { } created)
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized, "Stale delivery: the payload has no deployment.created_at to prove it is fresh.", payload.Repository, payload.RunId, payload.Environment), null);
        }

        if (now - created > _options.MaxDeliveryAge)
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized,
                string.Create(CultureInfo.InvariantCulture, $"Stale delivery: deployment created {created:u}, more than {_options.MaxDeliveryAge.TotalMinutes:0.#} minutes ago."),
                payload.Repository, payload.RunId, payload.Environment), null);
        }

        return (null, payload);
    }

    private async Task<ProtectionRuleDecision> EvaluateAsync(Payload payload, CancellationToken cancellationToken)
    {
        ProtectionRuleDecision Reject(string reason) =>
            new(ProtectionRuleDecisionKind.Rejected, reason, payload.Repository, payload.RunId, payload.Environment, Cut("❌ **mlenv** rejected: " + reason));

        var definition = _options.Definitions.FindRepository(payload.Repository);
        if (definition is null)
        {
            return Reject($"{payload.Repository} is not declared in the protection rule's definitions.");
        }

        var index = definition.Environments.IndexOf(definition.FindEnvironment(payload.Environment)!);
        if (index < 0)
        {
            return Reject($"Environment '{payload.Environment}' is not declared for {payload.Repository}.");
        }

        if (index == 0)
        {
            return Reject($"'{payload.Environment}' is the first environment: there is nothing to promote from.");
        }

        var (model, version) = payload.Model is not null && payload.Version is not null
            ? (payload.Model, payload.Version)
            : await ModelFromRunAsync(payload, cancellationToken).ConfigureAwait(false);
        if (model is null || version is null)
        {
            return Reject($"Cannot tell which model run {payload.RunId} deploys: neither the deployment's payload (model, version) nor the run's title (\"{PromotionRunTitle.Prefix}<model>@<version>\") names it.");
        }

        PromotionEvaluation evaluation;
        try
        {
            evaluation = await _promoter.EvaluateAsync(
                new PromotionRequest(definition, model, version, definition.Environments[index - 1].Name, definition.Environments[index].Name) { WorkflowRunId = payload.RunId },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PromotionException e)
        {
            return Reject(e.Message);
        }

        if (evaluation.Verdicts.IsEmpty)
        {
            return Reject($"'{payload.Environment}' declares no gates: the protection rule has nothing to decide on. Declare gates (WithGates / \"gates\" in mlenv.json) or disable the rule.");
        }

        var comment = Comment(evaluation);
        if (evaluation.AlreadyPromoted)
        {
            return new(ProtectionRuleDecisionKind.Approved, $"{evaluation.Candidate} is already the current version in {evaluation.TargetEnvironment}; re-running its promotion is a no-op.",
                payload.Repository, payload.RunId, payload.Environment, Cut($"✅ **mlenv** approved `{evaluation.Candidate}` → {evaluation.TargetEnvironment}: it is already the current version there."), evaluation);
        }

        return evaluation.Passed
            ? new(ProtectionRuleDecisionKind.Approved, $"{evaluation.Candidate} passes every gate of {evaluation.TargetEnvironment}.", payload.Repository, payload.RunId, payload.Environment, comment, evaluation)
            : new(ProtectionRuleDecisionKind.Rejected, $"{evaluation.Candidate} fails {evaluation.Failures.Count()} gate(s) of {evaluation.TargetEnvironment}: {string.Join("; ", evaluation.Failures.Select(f => f.Reason))}", payload.Repository, payload.RunId, payload.Environment, comment, evaluation);
    }

    private async Task<(string? Model, string? Version)> ModelFromRunAsync(Payload payload, CancellationToken cancellationToken)
    {
        if (_runs is null)
        {
            return (null, null);
        }

        var run = await _runs.GetWorkflowRunAsync(payload.Repository, payload.RunId, cancellationToken).ConfigureAwait(false);
        return PromotionRunTitle.TryParse(run?.DisplayTitle, out var model, out var version) ? (model, version) : (null, null);
    }

    internal static string Comment(PromotionEvaluation evaluation)
    {
        var text = new StringBuilder();
        text.Append(evaluation.Passed ? "✅ **mlenv** approved " : "❌ **mlenv** rejected ").Append('`').Append(evaluation.Candidate).Append("` → ")
            .Append(evaluation.TargetEnvironment)
            .Append(evaluation.Champion is { } c ? $" (champion `{c.ModelName}@{c.Version}`)" : " (no champion)").Append('\n');
        foreach (var verdict in evaluation.Verdicts)
        {
            text.Append("- ").Append(verdict.Passed ? "✅ " : "❌ ").Append(verdict.Gate).Append(": ").Append(verdict.Reason).Append('\n');
        }

        return Cut(text.ToString());
    }

    private static string Cut(string text) => text.Length <= CommentLimit ? text : string.Concat(text.AsSpan(0, CommentLimit - 1), "…");

    private bool TryClaim(string key, DateTimeOffset now)
    {
        lock (_seen)
        {
            // Entries older than the freshness window can go: their bodies are refused as stale anyway.
            foreach (var old in _seen.Where(p => now - p.Value > _options.MaxDeliveryAge + _options.MaxDeliveryAge).Select(p => p.Key).ToList())
            {
                _seen.Remove(old);
            }

            return _seen.TryAdd(key, now);
        }
    }

    private void Release(string key)
    {
        lock (_seen)
        {
            _seen.Remove(key);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Protection rule delivery {DeliveryId}: {Decision} — {Message}")]
    private static partial void LogDecision(ILogger logger, string deliveryId, ProtectionRuleDecisionKind decision, string message);

    private sealed record Payload(string Action, string Environment, RepositoryId Repository, long RunId, DateTimeOffset? DeploymentCreatedAt, string? Model, string? Version, long DeploymentId = 0)
    {
        public static Payload Read(ReadOnlyMemory<byte> body)
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var action = root.GetProperty("action").GetString() ?? throw new FormatException("'action' is missing.");
            if (action != "requested")
            {
                return new Payload(action, string.Empty, default, 0, null, null, null);
            }

            var environment = root.GetProperty("environment").GetString() ?? throw new FormatException("'environment' is missing.");
            var fullName = root.GetProperty("repository").GetProperty("full_name").GetString() ?? throw new FormatException("'repository.full_name' is missing.");
            if (!RepositoryId.TryParse(fullName, out var repository))
            {
                throw new FormatException($"'repository.full_name' is '{fullName}', not owner/name.");
            }

            var callback = root.GetProperty("deployment_callback_url").GetString() ?? throw new FormatException("'deployment_callback_url' is missing.");
            var runId = RunIdFrom(callback);
            DateTimeOffset? created = null;
            long deploymentId = 0;
            string? model = null, version = null;
            if (root.TryGetProperty("deployment", out var deployment) && deployment.ValueKind == JsonValueKind.Object)
            {
                if (deployment.TryGetProperty("id", out var d) && d.ValueKind == JsonValueKind.Number)
                {
                    deploymentId = d.GetInt64();
                }

                if (deployment.TryGetProperty("created_at", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    created = DateTimeOffset.Parse(c.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                }

                if (deployment.TryGetProperty("payload", out var p))
                {
                    var inner = p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } s && s.TrimStart().StartsWith('{')
                        ? JsonDocument.Parse(s).RootElement
                        : p;
                    if (inner.ValueKind == JsonValueKind.Object &&
                        inner.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String &&
                        inner.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String)
                    {
                        model = m.GetString();
                        version = v.GetString();
                    }
                }
            }

            return new Payload(action, environment, repository, runId, created, model, version, deploymentId);
        }

        private static long RunIdFrom(string callback)
        {
            var parts = new Uri(callback).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = Array.IndexOf(parts, "runs");
            return index >= 0 && index + 1 < parts.Length && long.TryParse(parts[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw new FormatException($"'deployment_callback_url' ({callback}) does not name a workflow run.");
        }
    }
}
