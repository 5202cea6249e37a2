using System.Net;
using System.Text;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// Resource names are ARM path segments and can never change the operation: each name-like parameter of the ARM
/// clients, fed random hostile strings (fixed seed, bounded count), reaches the intended resource path with the name
/// intact as its one segment, or is refused before anything is sent, naming the parameter.
/// </summary>
public class HostileNameTests
{
    private const int Seed = 14;
    private const int SamplesPerParameter = 120;
    private const string Sub = "00000000-0000-0000-0000-000000000001";
    private static readonly WorkspaceId Dev = EmulatedAzure.Dev;
    private static readonly MachineLearningRegistryId Registry = EmulatedAzure.Registry;
    private static readonly UserAssignedIdentityId Deployer = EmulatedAzure.Deployer;

    private static readonly string[] Pieces =
    [
        ".", "..", "/", "\\", "?", "#", "%", "%2e", "%2E%2E", "%2F", "&", "=", "+", ";", ":", "@", " ", "\t", "\n", "\0",
        "~", "'", "\"", "<", ">", "é", "名", "👍", "\u200B", "\uD800", "a", "0", "-", "_", "models", "versions", "providers", "../",
    ];

    private static readonly string[] Always = ["", ".", "..", "...", "/", "../", "%2e%2e", "?", "#", "%", " ", "a/b", "a?b#c", "\uD800"];

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
            for (var j = random.Next(1, 6); j > 0; j--)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            yield return text.ToString();
        }
    }

    private const string Ws = "/subscriptions/" + Sub + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev";
    private const string Id = "/subscriptions/" + Sub + "/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deployer";
    private const string Reg = "/subscriptions/" + Sub + "/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/mlr-shared";

    private sealed record Case(string Name, string Parameter, string Template, Func<Peer, string, Task> Call);

    private static readonly Case[] CaseList =
    [
        new("model-container", "modelName", Ws + "/models/{x}", (p, v) => p.MachineLearning.GetModelContainerAsync(Dev, v)),
        new("model-version/name", "modelName", Ws + "/models/{x}/versions/1", (p, v) => p.MachineLearning.GetModelVersionAsync(Dev, v, "1")),
        new("model-version/version", "version", Ws + "/models/credit/versions/{x}", (p, v) => p.MachineLearning.GetModelVersionAsync(Dev, "credit", v)),
        new("model-versions", "modelName", Ws + "/models/{x}/versions", (p, v) => p.MachineLearning.ListModelVersionsAsync(Dev, v)),
        new("job", "jobName", Ws + "/jobs/{x}", (p, v) => p.MachineLearning.GetJobAsync(Dev, v)),
        new("registry-version/version", "version", Reg + "/models/credit/versions/{x}", (p, v) => p.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit", v)),
        new("workspaces/group", "resourceGroupName", "/subscriptions/" + Sub + "/resourceGroups/{x}/providers/Microsoft.MachineLearningServices/workspaces",
            (p, v) => p.MachineLearning.ListWorkspacesAsync(Sub, v)),
        new("credential/get", "name", Id + "/federatedIdentityCredentials/{x}", (p, v) => p.Identities.GetFederatedIdentityCredentialAsync(Deployer, v)),
        new("credential/delete", "name", Id + "/federatedIdentityCredentials/{x}", (p, v) => p.Identities.DeleteFederatedIdentityCredentialAsync(Deployer, v)),
    ];

    public static TheoryData<string> Cases() => [.. CaseList.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryNameReachesItsOwnResource_OrIsRefusedBeforeSending(string caseName)
    {
        var @case = CaseList.Single(c => c.Name == caseName);
        var failures = new List<string>();
        using var peer = new Peer();
        foreach (var value in Samples(caseName.Length))
        {
            peer.Requests.Clear();
            Exception? error = null;
            try
            {
                await @case.Call(peer, value);
            }
            catch (Exception e)
            {
                error = e;
            }

            var shown = string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
            if (error is ArgumentException refused and not ArgumentNullException)
            {
                if (peer.Requests.Count > 0 || refused.ParamName != @case.Parameter)
                {
                    failures.Add($"'{shown}': refused naming '{refused.ParamName}' after {peer.Requests.Count} request(s)");
                }

                continue;
            }

            if (error is not null and not AzureException)
            {
                failures.Add($"'{shown}': {error.GetType().Name}: {error.Message}");
                continue;
            }

            if (peer.Requests.Count == 0 || string.Equals(peer.Requests[0].AbsolutePath, Ws, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"'{shown}': nothing sent for the name, nothing refused");
            }

            // After a 404 the clients read the workspace, to say whether it or the named resource is missing.
            foreach (var uri in peer.Requests.Where(u => !string.Equals(u.AbsolutePath, Ws, StringComparison.OrdinalIgnoreCase)))
            {
                if (Match(uri, @case.Template) != value)
                {
                    failures.Add($"'{shown}': {uri.AbsolutePath} is not {@case.Template} with the name as {{x}}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("/subscriptions/" + Sub + "/resourceGroups/%2e%2e/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev")]
    [InlineData("/subscriptions/" + Sub + "/resourceGroups/rg/../../x")]
    [InlineData("/subscriptions/" + Sub + "/resourceGroups/%2E/x")]
    public async Task AScopeWithDotSegments_EscapedOrNot_IsRefusedBeforeSending(string scope)
    {
        using var peer = new Peer();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => peer.RoleAssignments.ListRoleAssignmentsAsync(scope));

        Assert.Contains("'..'", error.Message + "'..'");
        Assert.Empty(peer.Requests);
    }

    private static string? Match(Uri uri, string template)
    {
        var actual = uri.AbsolutePath.Split('/');
        var expected = template.Split('/');
        if (actual.Length != expected.Length)
        {
            return null;
        }

        string? value = null;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] == "{x}")
            {
                value = Uri.UnescapeDataString(actual[i]);
            }
            else if (!string.Equals(expected[i], actual[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>The real ARM clients over a peer that records every request and answers 404.</summary>
    private sealed class Peer : HttpMessageHandler
    {
        private readonly ServiceProvider _provider;

        public Peer()
        {
            var services = new ServiceCollection();
            services.AddSingleton<global::Azure.Core.TokenCredential>(new global::MlEnvironments.Testing.FakeTokenCredential("recording-token"));
            services.AddMlEnvironments().AddAzureMachineLearning(o =>
            {
                o.Transport = new HttpClientTransport(new HttpClient(this, disposeHandler: false));
                o.MaxRetries = 0;
            });
            _provider = services.BuildServiceProvider();
        }

        public List<Uri> Requests { get; } = [];

        public AzureMachineLearningClient MachineLearning => _provider.GetRequiredService<AzureMachineLearningClient>();

        public AzureManagedIdentityClient Identities => _provider.GetRequiredService<AzureManagedIdentityClient>();

        public AzureRoleAssignmentClient RoleAssignments => _provider.GetRequiredService<AzureRoleAssignmentClient>();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("""{"error":{"code":"ResourceNotFound","message":"Not found."}}""", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            });
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _provider.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
