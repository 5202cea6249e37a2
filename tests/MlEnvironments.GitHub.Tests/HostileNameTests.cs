using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub.Http;
using MlEnvironments.Testing;

namespace MlEnvironments.GitHub.Tests;

/// <summary>
/// Names are URL segments and can never change the operation: every name-like parameter of every client method, fed
/// random hostile strings (fixed seed, bounded count), either reaches the operation it was meant for with the name
/// intact as its one segment, or is refused before anything is sent, with an exception naming the parameter.
/// </summary>
public class HostileNameTests
{
    private const int Seed = 14;
    private const int SamplesPerParameter = 150;
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/credit-risk");

    /// <summary>Strings that a URL treats specially, alone and in combination.</summary>
    private static readonly string[] Pieces =
    [
        ".", "..", "/", "\\", "?", "#", "%", "%2e", "%2E%2E", "%2F", "%00", "&", "=", "+", ";", ":", "@", " ", "\t", "\n", "\r", "\0",
        "~", "'", "\"", "<", ">", "{", "}", "|", "^", "`", "[", "]", "é", "名", "👍", "\u200B", "\u202E", "\uD800", "\uDC00",
        "a", "Z", "0", "-", "_", "prod", "environments", "secrets", "public-key", "dispatches", "..%2F", "//", "./", "../",
    ];

    private static readonly string[] Always = ["", ".", "..", "...", "/", "./", "../", "%2e%2e", "?", "#", "%", " ", "a/b", "a?b#c", "..\\..", "\uD800", "名前 with space"];

    private static IEnumerable<string> Samples(int salt)
    {
        var random = new Random(Seed + salt);
        foreach (var value in Always)
        {
            yield return value;
        }

        for (var i = 0; i < SamplesPerParameter; i++)
        {
            var text = new StringBuilder();
            var count = random.Next(1, 6);
            for (var j = 0; j < count; j++)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            yield return text.ToString();
        }
    }

    public static TheoryData<string> Cases() => [.. CaseList.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryNameReachesItsOwnOperation_OrIsRefusedBeforeSending(string caseName)
    {
        var @case = CaseList.Single(c => c.Name == caseName);
        var failures = new List<string>();
        foreach (var value in Samples(caseName.Length))
        {
            using var peer = new RecordingPeer();
            Exception? error = null;
            try
            {
                await @case.Call(peer.Clients, value);
            }
            catch (Exception e)
            {
                error = e;
            }

            var shown = Show(value);
            if (error is ArgumentException refused and not ArgumentNullException)
            {
                if (peer.Requests.Count > 0)
                {
                    failures.Add($"{shown}: refused ({refused.ParamName}) after sending {peer.Requests[0]}");
                }
                else if (refused.ParamName != @case.Parameter)
                {
                    failures.Add($"{shown}: refused naming '{refused.ParamName}', not '{@case.Parameter}'");
                }

                continue;
            }

            if (error is not null and not GitHubException)
            {
                failures.Add($"{shown}: {error.GetType().Name}: {error.Message}");
                continue;
            }

            if (peer.Requests.Count == 0)
            {
                failures.Add($"{shown}: nothing was sent and nothing refused");
                continue;
            }

            foreach (var (method, uri) in peer.Requests)
            {
                var matched = @case.Operations.Any(o => o.Method == method && Match(uri, o.Template, @case.Placeholder) is { Matched: true } match &&
                                                        (!o.Template.Contains("{" + @case.Placeholder + "}", StringComparison.Ordinal) || match.Value == value));
                if (!matched)
                {
                    failures.Add($"{shown}: {method} {uri.AbsolutePath} is not {string.Join(" or ", @case.Operations.Select(o => o.Method + " " + o.Template))} with the name as {{{@case.Placeholder}}}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public async Task DotNames_AreRefused_NamingTheParameter_AndNothingIsSent(string name)
    {
        using var peer = new RecordingPeer();

        var environment = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            peer.Clients.Environments.CreateOrUpdateEnvironmentAsync(Repo, name, new GitHubEnvironmentSettings()));
        var workflow = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            peer.Clients.Workflows.DispatchWorkflowAsync(Repo, name, "main", new Dictionary<string, string>()));

        Assert.Equal("environmentName", environment.ParamName);
        Assert.Equal("workflow", workflow.ParamName);
        Assert.Empty(peer.Requests);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("x?y#z")]
    [InlineData("%2e%2e")]
    [InlineData("...")]
    [InlineData("名前 with space")]
    [InlineData("100%")]
    public async Task OverHttp_TheEmulatorSeesTheIntendedOperation_AndTheNameRoundTrips(string name)
    {
        await using var github = await Contract.EmulatedGitHub.StartAsync();

        await github.Environments.CreateOrUpdateEnvironmentAsync(Contract.EmulatedGitHub.Repo, name, new GitHubEnvironmentSettings());
        var read = await github.Environments.GetEnvironmentAsync(Contract.EmulatedGitHub.Repo, name);
        await github.Variables.CreateEnvironmentVariableAsync(Contract.EmulatedGitHub.Repo, name, "MODEL_NAME", "credit-risk");
        await github.Environments.DeleteEnvironmentAsync(Contract.EmulatedGitHub.Repo, name);

        Assert.Equal(name, read?.Name);
        Assert.Equal(
            ["repos/create-or-update-environment", "repos/get-environment", "actions/create-environment-variable", "repos/delete-an-environment"],
            github.Emulator.Requests.Select(r => r.OperationId ?? "(unmatched) " + r.Path));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task OverHttp_DotDotIsRefused_AndTheEmulatorSeesNothing()
    {
        await using var github = await Contract.EmulatedGitHub.StartAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            github.Environments.CreateOrUpdateEnvironmentAsync(Contract.EmulatedGitHub.Repo, "..", new GitHubEnvironmentSettings()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            github.Workflows.DispatchWorkflowAsync(Contract.EmulatedGitHub.Repo, "..", "main", new Dictionary<string, string>()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            github.Environments.DeleteEnvironmentAsync(Contract.EmulatedGitHub.Repo, "."));

        Assert.Empty(github.Emulator.Requests);
    }

    [Theory]
    [InlineData("", "environments")]
    [InlineData(".", "environments/x")]
    [InlineData("..", "environments/x")]
    public void ThePathBuilder_RefusesWhatCannotBeOneSegment(string value, string literal)
    {
        var error = Assert.Throws<ArgumentException>(() => GitHubPath.Repository(Repo).Literal(literal).Name(value, "environmentName"));

        Assert.Equal("environmentName", error.ParamName);
        Assert.Contains("environmentName", error.Message);
    }

    [Fact]
    public void ThePathBuilder_EncodesEveryReservedCharacter()
    {
        string path = GitHubPath.Environment(Repo, "a/b?c#d%e f");

        Assert.Equal("repos/octo-org/credit-risk/environments/a%2Fb%3Fc%23d%25e%20f", path);
    }

    /// <summary>Whether <paramref name="uri"/> is <paramref name="template"/>, and the decoded value of <c>{placeholder}</c>.</summary>
    private static (bool Matched, string? Value) Match(Uri uri, string template, string placeholder)
    {
        var actual = uri.AbsolutePath.TrimStart('/').Split('/');
        var expected = template.TrimStart('/').Split('/');
        if (actual.Length != expected.Length)
        {
            return (false, null);
        }

        string? value = null;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].StartsWith('{'))
            {
                if (actual[i].Length == 0)
                {
                    return (false, null);
                }

                if (expected[i] == "{" + placeholder + "}")
                {
                    value = Uri.UnescapeDataString(actual[i]);
                }
            }
            else if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                return (false, null);
            }
        }

        return (true, value);
    }

    private static string Show(string value) =>
        "'" + string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c > '~' ? $"\\u{(int)c:X4}" : c.ToString())) + "'";

    private sealed record Operation(string Method, string Template);

    private sealed record Case(string Name, string Parameter, string Placeholder, Operation[] Operations, Func<Clients, string, Task> Call);

    private static Operation Op(string method, string template) => new(method, template);

    private const string Env = "/repos/octo-org/credit-risk/environments/{environment_name}";

    private static readonly Case[] CaseList =
    [
        new("get-environment", "environmentName", "environment_name", [Op("GET", Env)],
            (c, v) => c.Environments.GetEnvironmentAsync(Repo, v)),
        new("create-or-update-environment", "environmentName", "environment_name", [Op("PUT", Env)],
            (c, v) => c.Environments.CreateOrUpdateEnvironmentAsync(Repo, v, new GitHubEnvironmentSettings())),
        new("delete-an-environment", "environmentName", "environment_name", [Op("DELETE", Env)],
            (c, v) => c.Environments.DeleteEnvironmentAsync(Repo, v)),
        new("list-deployment-branch-policies", "environmentName", "environment_name", [Op("GET", Env + "/deployment-branch-policies")],
            (c, v) => c.Environments.ListDeploymentBranchPoliciesAsync(Repo, v)),
        new("create-deployment-branch-policy", "environmentName", "environment_name", [Op("POST", Env + "/deployment-branch-policies")],
            (c, v) => c.Environments.CreateDeploymentBranchPolicyAsync(Repo, v, MlEnvironment.Branch("main"))),
        new("update-deployment-branch-policy", "environmentName", "environment_name", [Op("PUT", Env + "/deployment-branch-policies/{id}")],
            (c, v) => c.Environments.UpdateDeploymentBranchPolicyAsync(Repo, v, 7, "main")),
        new("delete-deployment-branch-policy", "environmentName", "environment_name", [Op("DELETE", Env + "/deployment-branch-policies/{id}")],
            (c, v) => c.Environments.DeleteDeploymentBranchPolicyAsync(Repo, v, 7)),
        new("get-all-deployment-protection-rules", "environmentName", "environment_name", [Op("GET", Env + "/deployment_protection_rules")],
            (c, v) => c.Environments.ListProtectionRulesAsync(Repo, v)),
        new("list-custom-deployment-rule-integrations", "environmentName", "environment_name", [Op("GET", Env + "/deployment_protection_rules/apps")],
            (c, v) => c.Environments.ListAvailableProtectionRuleAppsAsync(Repo, v)),
        new("create-deployment-protection-rule", "environmentName", "environment_name", [Op("POST", Env + "/deployment_protection_rules")],
            (c, v) => c.Environments.EnableProtectionRuleAsync(Repo, v, 42)),
        new("disable-deployment-protection-rule", "environmentName", "environment_name", [Op("DELETE", Env + "/deployment_protection_rules/{id}")],
            (c, v) => c.Environments.DisableProtectionRuleAsync(Repo, v, 42)),
        new("list-environment-secrets", "environmentName", "environment_name", [Op("GET", Env + "/secrets")],
            (c, v) => c.Secrets.ListEnvironmentSecretsAsync(Repo, v)),
        new("set-secret/environment", "environmentName", "environment_name", [Op("GET", Env + "/secrets/public-key"), Op("PUT", Env + "/secrets/{secret_name}")],
            (c, v) => c.Secrets.SetEnvironmentSecretAsync(Repo, v, "AZURE_CLIENT_ID", "value")),
        new("set-secret/secret", "secretName", "secret_name",
            [Op("GET", "/repos/octo-org/credit-risk/environments/prod/secrets/public-key"), Op("PUT", "/repos/octo-org/credit-risk/environments/prod/secrets/{secret_name}")],
            (c, v) => c.Secrets.SetEnvironmentSecretAsync(Repo, "prod", v, "value")),
        new("delete-secret/secret", "secretName", "secret_name", [Op("DELETE", "/repos/octo-org/credit-risk/environments/prod/secrets/{secret_name}")],
            (c, v) => c.Secrets.DeleteEnvironmentSecretAsync(Repo, "prod", v)),
        new("list-variables", "environmentName", "environment_name", [Op("GET", Env + "/variables")],
            (c, v) => c.Variables.ListEnvironmentVariablesAsync(Repo, v)),
        new("create-variable", "environmentName", "environment_name", [Op("POST", Env + "/variables")],
            (c, v) => c.Variables.CreateEnvironmentVariableAsync(Repo, v, "A", "1")),
        new("update-variable/variable", "name", "name", [Op("PATCH", "/repos/octo-org/credit-risk/environments/prod/variables/{name}")],
            (c, v) => c.Variables.UpdateEnvironmentVariableAsync(Repo, "prod", v, "1")),
        new("delete-variable/variable", "name", "name", [Op("DELETE", "/repos/octo-org/credit-risk/environments/prod/variables/{name}")],
            (c, v) => c.Variables.DeleteEnvironmentVariableAsync(Repo, "prod", v)),
        new("delete-variable/environment", "environmentName", "environment_name", [Op("DELETE", Env + "/variables/{name}")],
            (c, v) => c.Variables.DeleteEnvironmentVariableAsync(Repo, v, "A")),
        new("create-workflow-dispatch", "workflow", "workflow_id", [Op("POST", "/repos/octo-org/credit-risk/actions/workflows/{workflow_id}/dispatches")],
            (c, v) => c.Workflows.DispatchWorkflowAsync(Repo, v, "main", new Dictionary<string, string>())),
        new("review-custom-gates-for-run", "environmentName", "none", [Op("POST", "/repos/octo-org/credit-risk/actions/runs/{run_id}/deployment_protection_rule")],
            (c, v) => c.Reviews.ReviewCustomGateAsync(Repo, 5, v, GitHubReviewState.Approved, "ok")),
        new("get-by-username", "reviewer", "username",
            [Op("GET", "/users/{username}"), Op("GET", "/repos/octo-org/credit-risk/collaborators/{username}/permission")],
            (c, v) => c.Repositories.ResolveReviewerAsync(Repo, MlEnvironment.User(v))),
        new("get-team-by-name", "reviewer", "team_slug",
            [Op("GET", "/orgs/octo-org/teams/{team_slug}"), Op("GET", "/orgs/octo-org/teams/{team_slug}/repos/octo-org/credit-risk")],
            (c, v) => c.Repositories.ResolveReviewerAsync(Repo, MlEnvironment.Team(v))),
    ];

    internal sealed record Clients(
        GitHubEnvironmentClient Environments,
        GitHubSecretClient Secrets,
        GitHubVariableClient Variables,
        GitHubWorkflowClient Workflows,
        GitHubDeploymentReviewClient Reviews,
        GitHubRepositoryClient Repositories);

    /// <summary>The real client stack over a peer that records every request; it answers the few reads a call needs to go on, else 404.</summary>
    private sealed class RecordingPeer : HttpMessageHandler
    {
        private static readonly string PublicKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))]);
        private readonly GitHubConnection _connection;
        private bool _disposed;

        public RecordingPeer()
        {
            var options = new GitHubOptions { BaseAddress = new Uri("https://api.github.test/"), WritePause = TimeSpan.Zero, MaxRetries = 0, UseConditionalRequests = false };
            _connection = new GitHubConnection(options, new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue("ghp_recording")),
                new FakeTimeProvider(), new GitHubRequestCounters(), primaryHandler: () => this);
            Clients = new Clients(
                new GitHubEnvironmentClient(_connection), new GitHubSecretClient(_connection), new GitHubVariableClient(_connection),
                new GitHubWorkflowClient(_connection), new GitHubDeploymentReviewClient(_connection), new GitHubRepositoryClient(_connection));
        }

        public Clients Clients { get; }

        public List<(string Method, Uri Uri)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            lock (Requests)
            {
                Requests.Add((request.Method.Method, uri));
            }

            var path = uri.AbsolutePath;
            var segments = path.Split('/');
            var (status, body) =
                path.EndsWith("/secrets/public-key", StringComparison.Ordinal) ? (HttpStatusCode.OK, $$"""{"key_id":"1","key":"{{PublicKey}}"}""")
                : segments is ["", "users", _] ? (HttpStatusCode.OK, """{"id":1,"login":"someone"}""")
                : segments is ["", "orgs", _, "teams", _] ? (HttpStatusCode.OK, """{"id":2,"slug":"team"}""")
                : (HttpStatusCode.NotFound, """{"message":"Not Found"}""");
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request });
        }

        protected override void Dispose(bool disposing)
        {
            // The connection owns the handler chain, this peer included: disposing it comes back here once more.
            if (disposing && !_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
