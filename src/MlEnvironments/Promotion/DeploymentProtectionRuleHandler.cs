using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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

    /// <summary>
    /// The body is larger than <see cref="DeploymentProtectionRuleOptions.MaxBodyBytes"/> (HTTP 413): refused from its
    /// <c>Content-Length</c> before reading, or as soon as the bytes read pass the limit.
    /// </summary>
    PayloadTooLarge,
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
        ProtectionRuleDecisionKind.PayloadTooLarge => 413,
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

    /// <summary>
    /// How far in the future a deployment's <c>created_at</c> may be (clocks differ a little). A delivery dated later
    /// is refused: it would otherwise count as fresh for longer than <see cref="MaxDeliveryAge"/>.
    /// <value>Default 5 minutes; 0 to 1 hour.</value>
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The largest body accepted, in bytes. GitHub caps any webhook delivery at 25 MB, but a
    /// <c>deployment_protection_rule</c> payload (the environment, the deployment, the repository, the sender and the
    /// installation) is a few kilobytes, so 1 MB leaves a hundredfold margin while keeping what an unsigned or forged
    /// post can make the app hold small. A larger <c>Content-Length</c> is refused before reading (413), and reading
    /// stops at the limit when there is none (chunked). <value>Default 1 MB (1,048,576); 1 KB to 25 MB.</value>
    /// </summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>The default of <see cref="MaxBodyBytes"/>: 1 MB.</summary>
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    internal const int SmallestMaxBodyBytes = 1024;

    internal const int LargestMaxBodyBytes = 25 * 1024 * 1024;
}

/// <summary>What <see cref="DeploymentProtectionRuleHandler.ReadAsync"/> made of a request: a refusal, or a verified delivery to decide.</summary>
public sealed class WebhookReadResult
{
    internal WebhookReadResult(ProtectionRuleDecision? refusal, WebhookDelivery? delivery)
    {
        Refusal = refusal;
        Delivery = delivery;
    }

    /// <summary>The refusal to answer with (<see cref="ProtectionRuleDecision.StatusCode"/>), or <see langword="null"/> when <see cref="Delivery"/> is to be decided.</summary>
    public ProtectionRuleDecision? Refusal { get; }

    /// <summary>The authentic, fresh delivery to pass to <see cref="DeploymentProtectionRuleHandler.HandleAsync"/>; <see langword="null"/> when refused.</summary>
    public WebhookDelivery? Delivery { get; }
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
        if (_options.MaxBodyBytes is < DeploymentProtectionRuleOptions.SmallestMaxBodyBytes or > DeploymentProtectionRuleOptions.LargestMaxBodyBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{DeploymentProtectionRuleOptions.SectionName}:{nameof(DeploymentProtectionRuleOptions.MaxBodyBytes)} must be between {DeploymentProtectionRuleOptions.SmallestMaxBodyBytes} and {DeploymentProtectionRuleOptions.LargestMaxBodyBytes} (GitHub's 25 MB cap); it is {_options.MaxBodyBytes}.");
        }

        if (_options.MaxClockSkew < TimeSpan.Zero || _options.MaxClockSkew > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{DeploymentProtectionRuleOptions.SectionName}:{nameof(DeploymentProtectionRuleOptions.MaxClockSkew)} must be between 00:00:00 and 01:00:00; it is {_options.MaxClockSkew}.");
        }

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

    /// <summary>
    /// Reads a delivery from a request body and verifies it, refusing before reading whatever can be refused from the
    /// headers: no <c>X-Hub-Signature-256</c> (or not <c>sha256=</c> and 64 hex digits) is 401, a <c>Content-Length</c>
    /// over <see cref="DeploymentProtectionRuleOptions.MaxBodyBytes"/> is 413. The body is then read into a buffer
    /// bounded by that limit (reading stops, 413, as soon as it is passed, with or without a Content-Length), the
    /// signature's HMAC computed as the bytes arrive, and the delivery checked as <see cref="VerifyAsync"/> does.
    /// Host it like this: answer <see cref="WebhookReadResult.Refusal"/> when there is one, else 202 and
    /// <see cref="HandleAsync"/> the <see cref="WebhookReadResult.Delivery"/> in the background.
    /// </summary>
    /// <param name="eventName">The <c>X-GitHub-Event</c> header.</param>
    /// <param name="deliveryId">The <c>X-GitHub-Delivery</c> header.</param>
    /// <param name="signature256">The <c>X-Hub-Signature-256</c> header.</param>
    /// <param name="contentLength">The <c>Content-Length</c>, when the request has one.</param>
    /// <param name="body">The request body; read at most up to the limit, never disposed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The refusal, or the verified delivery.</returns>
    public async Task<WebhookReadResult> ReadAsync(string? eventName, string? deliveryId, string? signature256, long? contentLength, Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var refusal = await ReadCoreAsync(eventName, deliveryId, signature256, contentLength, body, cancellationToken).ConfigureAwait(false);
        if (refusal.Refusal is { } refused)
        {
            LogDecision(_logger, deliveryId ?? "(none)", refused.Kind, refused.Message);
        }

        return refusal;
    }

    private async Task<WebhookReadResult> ReadCoreAsync(string? eventName, string? deliveryId, string? signature256, long? contentLength, Stream body, CancellationToken cancellationToken)
    {
        var limit = _options.MaxBodyBytes;
        if (string.IsNullOrWhiteSpace(signature256))
        {
            return new(new(ProtectionRuleDecisionKind.Unauthorized, "Unsigned delivery: X-Hub-Signature-256 is missing; the body was not read."), null);
        }

        if (!TryParseSignature(signature256, out var signature))
        {
            return new(new(ProtectionRuleDecisionKind.Unauthorized, "Bad signature: X-Hub-Signature-256 is not 'sha256=' and 64 hexadecimal digits; the body was not read."), null);
        }

        if (contentLength > limit)
        {
            return new(TooLarge(contentLength.Value.ToString(CultureInfo.InvariantCulture) + " bytes (Content-Length)", limit), null);
        }

        var secretSource = _options.WebhookSecret
            ?? throw new InvalidOperationException($"{nameof(DeploymentProtectionRuleOptions)}.{nameof(DeploymentProtectionRuleOptions.WebhookSecret)} is not set.");
        var secret = await _secrets.ResolveAsync(secretSource, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(secret))
        {
            return new(new(ProtectionRuleDecisionKind.Failed, $"The webhook secret ({secretSource}) is not available; cannot verify deliveries."), null);
        }

        // A bounded buffer (the Content-Length when given, else grown as needed up to the limit) and the HMAC
        // computed as the bytes arrive.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        var buffer = new byte[(int)Math.Min(contentLength ?? 16 * 1024, limit)];
        var length = 0;
        var probe = new byte[1];
        while (true)
        {
            if (length == buffer.Length)
            {
                // Full: one more byte says whether the body ends here or passes the limit.
                if (await body.ReadAsync(probe, cancellationToken).ConfigureAwait(false) == 0)
                {
                    break;
                }

                if (buffer.Length >= limit)
                {
                    return new(TooLarge("more than " + limit.ToString(CultureInfo.InvariantCulture) + " bytes", limit), null);
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 16 * 1024), limit));
                buffer[length++] = probe[0];
                hmac.AppendData(probe);
                continue;
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            hmac.AppendData(buffer, length, read);
            length += read;
        }

        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), signature))
        {
            return new(new(ProtectionRuleDecisionKind.Unauthorized, "Bad signature: X-Hub-Signature-256 does not match the body and the webhook secret."), null);
        }

        var delivery = new WebhookDelivery(eventName, deliveryId, signature256, buffer.AsMemory(0, length));
        var (refusal, _) = await VerifyCoreAsync(delivery, cancellationToken, signatureChecked: true).ConfigureAwait(false);
        return refusal is null ? new(null, delivery) : new(refusal, null);
    }

    private static ProtectionRuleDecision TooLarge(string size, int limit) =>
        new(ProtectionRuleDecisionKind.PayloadTooLarge,
            string.Create(CultureInfo.InvariantCulture,
                $"Delivery too large: {size}; a deployment_protection_rule payload is a few kilobytes and the limit is {limit} bytes ({DeploymentProtectionRuleOptions.SectionName}:{nameof(DeploymentProtectionRuleOptions.MaxBodyBytes)})."));

    private static bool TryParseSignature(string header, out byte[] signature)
    {
        signature = [];
        var text = header.Trim();
        const string prefix = "sha256=";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length != prefix.Length + 64)
        {
            return false;
        }

        try
        {
            signature = Convert.FromHexString(text.AsSpan(prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
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
        if (!TryClaim(key, created + _options.MaxDeliveryAge, now))
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

    private async Task<(ProtectionRuleDecision? Refusal, Payload? Payload)> VerifyCoreAsync(WebhookDelivery delivery, CancellationToken cancellationToken, bool signatureChecked = false)
    {
        // 1. Authenticity first: nothing in the body is read before the signature checks out.
        if (string.IsNullOrEmpty(delivery.Signature256))
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized, "Unsigned delivery: X-Hub-Signature-256 is missing."), null);
        }

        if (delivery.Body.Length > _options.MaxBodyBytes)
        {
            return (TooLarge(delivery.Body.Length.ToString(CultureInfo.InvariantCulture) + " bytes", _options.MaxBodyBytes), null);
        }

        if (!signatureChecked)
        {
            var secretSource = _options.WebhookSecret
                ?? throw new InvalidOperationException($"{nameof(DeploymentProtectionRuleOptions)}.{nameof(DeploymentProtectionRuleOptions.WebhookSecret)} is not set.");
            var secret = await _secrets.ResolveAsync(secretSource, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(secret))
            {
                return (new(ProtectionRuleDecisionKind.Failed, $"The webhook secret ({secretSource}) is not available; cannot verify deliveries."), null);
            }

            var expected = Encoding.ASCII.GetBytes(WebhookDelivery.Sign(delivery.Body.Span, secret));
            var actual = Encoding.ASCII.GetBytes(delivery.Signature256.Trim());
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return (new(ProtectionRuleDecisionKind.Unauthorized, "Bad signature: X-Hub-Signature-256 does not match the body and the webhook secret."), null);
            }
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

        if (created - now > _options.MaxClockSkew)
        {
            return (new(ProtectionRuleDecisionKind.Unauthorized,
                string.Create(CultureInfo.InvariantCulture, $"Delivery dated in the future: deployment created {created:u}, more than {_options.MaxClockSkew.TotalMinutes:0.#} minutes ahead of this clock ({now:u}; MaxClockSkew)."),
                payload.Repository, payload.RunId, payload.Environment), null);
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

    /// <summary>
    /// The comment sent with the decision: one line naming it, then the review's Markdown (gates, metrics against the
    /// champion and the latest promoted versions, a chart) with sections left out until it fits GitHub's 1,024 characters.
    /// </summary>
    internal static string Comment(PromotionEvaluation evaluation)
    {
        var first = (evaluation.Passed ? "✅ **mlenv** approved " : "❌ **mlenv** rejected ") + $"`{evaluation.Candidate}` → {PromotionReport.Escape(evaluation.TargetEnvironment)}\n\n";

        // GitHub counts characters; counting UTF-8 bytes instead never overestimates what fits.
        return Cut(first + PromotionReport.ToMarkdown(evaluation, Math.Max(256, CommentLimit - System.Text.Encoding.UTF8.GetByteCount(first))));
    }

    private static string Cut(string text) => text.Length <= CommentLimit ? text : string.Concat(text.AsSpan(0, CommentLimit - 1), "…");

    /// <summary>
    /// Records a body as answered until <paramref name="staleAt"/>, the moment the body itself becomes stale (its
    /// deployment's <c>created_at</c> plus <see cref="DeploymentProtectionRuleOptions.MaxDeliveryAge"/>): a record
    /// never expires while its body would still be accepted, whatever the body's date (future dates beyond the clock
    /// skew are refused before this). Records of stale bodies go.
    /// </summary>
    private bool TryClaim(string key, DateTimeOffset staleAt, DateTimeOffset now)
    {
        lock (_seen)
        {
            foreach (var old in _seen.Where(p => p.Value < now).Select(p => p.Key).ToList())
            {
                _seen.Remove(old);
            }

            return _seen.TryAdd(key, staleAt);
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
