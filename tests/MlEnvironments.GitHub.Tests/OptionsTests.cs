using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MlEnvironments.GitHub.Tests;

public class OptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMlEnvironments().AddGitHub().Services
            .BuildServiceProvider();

    [Fact]
    public void Options_BindFromTheMlEnvironmentsGitHubSection()
    {
        using var provider = Build(new()
        {
            ["MlEnvironments:GitHub:BaseAddress"] = "https://ghes.example.test/api/v3",
            ["MlEnvironments:GitHub:WritePause"] = "00:00:02",
            ["MlEnvironments:GitHub:MaxRetries"] = "3",
            ["MlEnvironments:GitHub:TokenEnvironmentVariable"] = "MY_TOKEN",
        });

        var options = provider.GetRequiredService<IOptions<GitHubOptions>>().Value;

        Assert.Equal(("https://ghes.example.test/api/v3", TimeSpan.FromSeconds(2), 3, "MY_TOKEN"),
            (options.BaseAddress.ToString(), options.WritePause, options.MaxRetries, options.TokenEnvironmentVariable));
    }

    [Fact]
    public void InvalidOptions_ReportEveryProblemWithItsKey()
    {
        using var provider = Build(new()
        {
            ["MlEnvironments:GitHub:BaseAddress"] = "http://github.example.test/",
            ["MlEnvironments:GitHub:WritePause"] = "00:05:00",
            ["MlEnvironments:GitHub:MaxRetries"] = "99",
            ["MlEnvironments:GitHub:Authentication"] = "App",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GitHubOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("MlEnvironments:GitHub:BaseAddress", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MlEnvironments:GitHub:WritePause", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MlEnvironments:GitHub:MaxRetries", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MlEnvironments:GitHub:AppId", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_ResolvesEveryGitHubInterface_WithoutAnyRequest()
    {
        using var provider = Build(new());

        Assert.IsType<GitHubEnvironmentClient>(provider.GetRequiredService<IGitHubEnvironmentReader>());
        Assert.IsType<GitHubEnvironmentClient>(provider.GetRequiredService<IGitHubEnvironmentWriter>());
        Assert.IsType<GitHubEnvironmentClient>(provider.GetRequiredService<IGitHubProtectionRuleReader>());
        Assert.IsType<GitHubEnvironmentClient>(provider.GetRequiredService<IGitHubProtectionRuleWriter>());
        Assert.IsType<GitHubSecretClient>(provider.GetRequiredService<IGitHubSecretWriter>());
        Assert.IsType<GitHubSecretClient>(provider.GetRequiredService<IGitHubSecretReader>());
        Assert.IsType<GitHubVariableClient>(provider.GetRequiredService<IGitHubVariableReader>());
        Assert.IsType<GitHubVariableClient>(provider.GetRequiredService<IGitHubVariableWriter>());
        Assert.IsType<GitHubRepositoryClient>(provider.GetRequiredService<IGitHubRepositoryReader>());
        Assert.IsType<GitHubRepositoryClient>(provider.GetRequiredService<IGitHubIdentityResolver>());
        Assert.Equal(0, provider.GetRequiredService<GitHubRequestCounters>().Requests);
    }
}
