using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using MlEnvironments.Promotion;
using NSubstitute;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

/// <summary>
/// The protection rule refuses before it reads: no signature or a Content-Length over the limit is refused without
/// reading a byte, a body without a length is read only up to the limit, and dates in the future do not buy a longer
/// freshness (nor a second answer once a replay record would have expired).
/// </summary>
public class ProtectionRuleHostileInputTests
{
    private const string Secret = "webhook-secret-value";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/fraud");
    private static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-prod");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly IModelPromoter _promoter = Substitute.For<IModelPromoter>();
    private readonly IGitHubCustomGateReviewer _reviewer = Substitute.For<IGitHubCustomGateReviewer>();

    public ProtectionRuleHostileInputTests()
    {
        var candidate = new ModelCandidate(Staging, "fraud", "2", "job-2", new Dictionary<string, double> { ["auc"] = 0.93 }, new Dictionary<string, string>(), new Dictionary<string, string>());
        var verdict = GateEvaluator.Evaluate(MetricAtLeast("auc", 0.9), candidate, null, null);
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new PromotionEvaluation("staging", "prod", Prod, candidate, null, [verdict], false));
    }

    private DeploymentProtectionRuleHandler Handler(Action<DeploymentProtectionRuleOptions>? configure = null)
    {
        var options = new DeploymentProtectionRuleOptions
        {
            WebhookSecret = SecretValue.FromValue(Secret),
            Definitions = Repositories(Repository(Repo,
                Environment("staging").BindWorkspace(Staging),
                Environment("prod").BindWorkspace(Prod).WithGates(MetricAtLeast("auc", 0.9)))),
        };
        configure?.Invoke(options);
        return new DeploymentProtectionRuleHandler(_promoter, _reviewer, new DefaultSecretValueResolver(), Options.Create(options), null, _time);
    }

    private byte[] Body(DateTimeOffset? createdAt = null, int padding = 0) => Encoding.UTF8.GetBytes($$$"""
        {"action":"requested","environment":"prod","event":"workflow_dispatch","ref":"refs/heads/main","sha":"abc",
         "deployment_callback_url":"https://api.github.com/repos/octo/fraud/actions/runs/4242/deployment_protection_rule",
         "deployment":{"id":9,"created_at":"{{{(createdAt ?? _time.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}}}","payload":{"model":"fraud","version":"2"}},
         "repository":{"full_name":"octo/fraud"},"installation":{"id":5},"padding":"{{{new string('x', padding)}}}"}
        """);

    [Fact]
    public async Task AnUnsignedPost_IsRefusedWithoutReadingTheBody()
    {
        var body = new CountingStream(new MemoryStream(new byte[10 * 1024 * 1024]));

        var read = await Handler().ReadAsync("deployment_protection_rule", "d-1", null, body.Length, body);

        Assert.Equal(401, read.Refusal?.StatusCode);
        Assert.Null(read.Delivery);
        Assert.Equal(0, body.BytesRead);
    }

    [Theory]
    [InlineData("sha1=0123")]
    [InlineData("sha256=not-hex")]
    public async Task AMalformedSignature_IsRefusedWithoutReadingTheBody(string signature)
    {
        var body = new CountingStream(new MemoryStream(Body()));

        var read = await Handler().ReadAsync("deployment_protection_rule", "d-1", signature, body.Length, body);

        Assert.Equal(401, read.Refusal?.StatusCode);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task AContentLengthOverTheLimit_Is413_WithoutReadingTheBody()
    {
        var bytes = Body(padding: 2 * 1024 * 1024);
        var body = new CountingStream(new MemoryStream(bytes));

        var read = await Handler().ReadAsync("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), bytes.Length, body);

        Assert.Equal(ProtectionRuleDecisionKind.PayloadTooLarge, read.Refusal?.Kind);
        Assert.Equal(413, read.Refusal?.StatusCode);
        Assert.Contains("MaxBodyBytes", read.Refusal?.Message);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task ABodyWithoutALength_IsReadOnlyUpToTheLimit()
    {
        var bytes = Body(padding: 3 * 1024 * 1024);
        var body = new CountingStream(new MemoryStream(bytes), chunk: 4096);

        var read = await Handler(o => o.MaxBodyBytes = 64 * 1024).ReadAsync("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), null, body);

        Assert.Equal(413, read.Refusal?.StatusCode);
        Assert.InRange(body.BytesRead, 64 * 1024, (64 * 1024) + 1);
    }

    [Fact]
    public async Task ASignedBodyInSmallChunks_IsVerifiedAsItIsRead_AndDecided()
    {
        var bytes = Body(padding: 100_000);
        var handler = Handler();

        var read = await handler.ReadAsync("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), null, new CountingStream(new MemoryStream(bytes), chunk: 1000));
        var decision = await handler.HandleAsync(read.Delivery!);

        Assert.Null(read.Refusal);
        Assert.Equal(bytes, read.Delivery!.Body.ToArray());
        Assert.Equal(ProtectionRuleDecisionKind.Approved, decision.Kind);
    }

    [Fact]
    public async Task AWrongSignature_IsRefusedAfterReading()
    {
        var bytes = Body();

        var read = await Handler().ReadAsync("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, "another-secret"), bytes.Length, new MemoryStream(bytes));

        Assert.Equal(401, read.Refusal?.StatusCode);
        Assert.Contains("does not match", read.Refusal?.Message);
    }

    [Fact]
    public async Task AnExactlyFullBody_IsAccepted()
    {
        var probe = Body();
        var bytes = Body(padding: 4096 - probe.Length);

        var read = await Handler(o => o.MaxBodyBytes = 4096).ReadAsync("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), null, new MemoryStream(bytes));

        Assert.Equal(4096, bytes.Length);
        Assert.Null(read.Refusal);
    }

    [Fact]
    public async Task ADeliveryDatedFiveYearsAhead_IsRefused()
    {
        var bytes = Body(createdAt: _time.GetUtcNow().AddYears(5));

        var decision = await Handler().HandleAsync(new WebhookDelivery("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), bytes));

        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, decision.Kind);
        Assert.Contains("future", decision.Message);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task ADeliveryWithinTheClockSkew_IsAccepted()
    {
        var bytes = Body(createdAt: _time.GetUtcNow().AddMinutes(4));

        var decision = await Handler().HandleAsync(new WebhookDelivery("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), bytes));

        Assert.Equal(ProtectionRuleDecisionKind.Approved, decision.Kind);
    }

    [Fact]
    public async Task AFutureDatedBody_IsNotAnsweredTwice_WhileItIsStillFresh()
    {
        // The largest skew allowed: a body dated an hour ahead stays fresh for 70 minutes; its replay record must too.
        var handler = Handler(o => o.MaxClockSkew = TimeSpan.FromHours(1));
        var bytes = Body(createdAt: _time.GetUtcNow().AddHours(1));
        WebhookDelivery Delivery() => new("deployment_protection_rule", "d-1", WebhookDelivery.Sign(bytes, Secret), bytes);

        var first = await handler.HandleAsync(Delivery());
        _time.Advance(TimeSpan.FromMinutes(45));
        var replay = await handler.HandleAsync(Delivery());
        _time.Advance(TimeSpan.FromMinutes(30));
        var stale = await handler.HandleAsync(Delivery());

        Assert.Equal(ProtectionRuleDecisionKind.Approved, first.Kind);
        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, replay.Kind);
        Assert.Contains("Replayed", replay.Message);
        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, stale.Kind);
        Assert.Contains("Stale", stale.Message);
        await _reviewer.ReceivedWithAnyArgs(1).ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(26 * 1024 * 1024)]
    public void AnOutOfRangeLimit_IsRefusedNamingTheOption(int limit)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Handler(o => o.MaxBodyBytes = limit));

        Assert.Contains("MaxBodyBytes", error.Message);
    }

    /// <summary>A stream that counts what is read from it, and hands it out in chunks of at most <c>chunk</c> bytes.</summary>
    private sealed class CountingStream(Stream inner, int chunk = int.MaxValue) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, Math.Min(count, chunk));
            BytesRead += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
