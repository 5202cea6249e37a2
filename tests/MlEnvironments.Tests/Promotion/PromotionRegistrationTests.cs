using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

public class PromotionRegistrationTests
{
    [Fact]
    public void AddMlEnvironments_RegistersPromotionServices_WithoutIo()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<ModelPromoter>(provider.GetRequiredService<IModelPromoter>());
        Assert.IsType<PromotionLedger>(provider.GetRequiredService<IPromotionLedger>());
        Assert.IsType<PromotionReviewService>(provider.GetRequiredService<IPromotionReviewService>());
        Assert.Empty(provider.GetRequiredService<InMemoryGitHub>().Calls);
    }

    [Fact]
    public void ProtectionRule_WithoutWebhookSecret_FailsAtStartWithEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory().AddDeploymentProtectionRule(o => o.MaxDeliveryAge = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeploymentProtectionRuleOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("WebhookSecret is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxDeliveryAge must be positive", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Definitions is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void ProtectionRule_BindsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlEnvironments:ProtectionRule:WebhookSecretVariable"] = "MY_WEBHOOK_SECRET",
            ["MlEnvironments:ProtectionRule:MaxDeliveryAge"] = "00:05:00",
            ["MlEnvironments:ProtectionRule:MaxClockSkew"] = "00:01:30",
            ["MlEnvironments:ProtectionRule:MaxBodyBytes"] = "65536",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddMlEnvironments().UseInMemory().AddDeploymentProtectionRule(o => o.Definitions = Repositories(Repository("octo/a", Environment("prod"))));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DeploymentProtectionRuleOptions>>().Value;

        Assert.Equal(SecretValue.FromEnvironmentVariable("MY_WEBHOOK_SECRET"), options.WebhookSecret);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxDeliveryAge);
        Assert.Equal(TimeSpan.FromSeconds(90), options.MaxClockSkew);
        Assert.Equal(65536, options.MaxBodyBytes);
    }

    [Theory]
    [InlineData("MaxBodyBytes", "1 MB", "must be a whole number of bytes")]
    [InlineData("MaxBodyBytes", "100", "MaxBodyBytes must be between 1024 and 26214400")]
    [InlineData("MaxBodyBytes", "99999999", "MaxBodyBytes must be between 1024 and 26214400")]
    [InlineData("MaxClockSkew", "soon", "must be a time span such as 00:05:00")]
    [InlineData("MaxClockSkew", "02:00:00", "MaxClockSkew must be between 00:00:00 and 01:00:00")]
    public void ProtectionRule_RefusesLimitsOutOfRange_NamingTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlEnvironments:ProtectionRule:WebhookSecretVariable"] = "MY_WEBHOOK_SECRET",
            ["MlEnvironments:ProtectionRule:" + key] = value,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddMlEnvironments().UseInMemory().AddDeploymentProtectionRule(o => o.Definitions = Repositories(Repository("octo/a", Environment("prod"))));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeploymentProtectionRuleOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal) && f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handler_NeverLogsTheSecretOrTheSignature()
    {
        const string secret = "never-log-this-secret";
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        services.AddMlEnvironments().UseInMemory().AddDeploymentProtectionRule(o =>
        {
            o.WebhookSecret = SecretValue.FromValue(secret);
            o.Definitions = Repositories(Repository("octo/a", Environment("dev"), Environment("prod")));
        });
        await using var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredService<DeploymentProtectionRuleHandler>();
        var body = Encoding.UTF8.GetBytes("{\"action\":\"requested\"}");
        var signature = WebhookDelivery.Sign(body, secret);

        var good = await handler.HandleAsync(new WebhookDelivery("deployment_protection_rule", "d-1", signature, body));
        var bad = await handler.HandleAsync(new WebhookDelivery("deployment_protection_rule", "d-2", WebhookDelivery.Sign(body, "x"), body));

        Assert.Equal(400, good.StatusCode);
        Assert.Equal(401, bad.StatusCode);
        Assert.NotEmpty(logs.GetSnapshot());
        foreach (var record in logs.GetSnapshot())
        {
            Assert.DoesNotContain(secret, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(signature[7..], record.Message, StringComparison.Ordinal);
        }
    }
}
