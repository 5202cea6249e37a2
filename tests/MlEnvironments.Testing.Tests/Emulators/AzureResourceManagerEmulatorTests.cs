using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>The ARM emulator over raw HTTPS: TLS, authentication, envelopes, paging, long-running operations, throttling, errors.</summary>
public sealed class AzureResourceManagerEmulatorTests : IAsyncLifetime
{
    private const string Token = "emulator-test-token";
    private static readonly WorkspaceId Dev = MlEnvironment.Workspace("00000000-0000-0000-0000-000000000001", "rg-ml", "mlw-dev");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create("00000000-0000-0000-0000-000000000001", "rg-ml", "mlr-shared");

    private AzureResourceManagerEmulator _emulator = null!;
    private HttpClient _http = null!;

    private static string Api(string path, string version = "2025-12-01") => path.TrimStart('/') + (path.Contains('?') ? "&" : "?") + "api-version=" + version;

    public async Task InitializeAsync()
    {
        var options = new AzureResourceManagerEmulatorOptions { PageSize = 2, LongRunningOperationPolls = 1, PollRetryAfter = TimeSpan.FromSeconds(12) };
        options.AcceptedTokens.Add(Token);
        _emulator = await AzureResourceManagerEmulator.StartAsync(options: options);
        _emulator.MachineLearning.AddWorkspace(Dev).AddRegistry(Registry);
        _http = _emulator.CreateHttpClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private Task<HttpResponseMessage> PutAsync(string path, string json) =>
        _http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task ItServesHttpsOnLoopback_WithACertificateOnlyItsHandlerTrusts()
    {
        Assert.Equal(("https", "127.0.0.1"), (_emulator.Endpoint.Scheme, _emulator.Endpoint.Host));
        Assert.Contains("127.0.0.1", _emulator.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));

        var trusted = await _http.GetAsync(Api(Dev.ResourceId));
        using var untrusting = new HttpClient { BaseAddress = _emulator.Endpoint };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(Api(Dev.ResourceId)));

        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Single(_emulator.Requests);
    }

    [Fact]
    public async Task Workspaces_AreArmEnvelopes_WithRequestIdsAndTheTrackingUriOnTheEmulator()
    {
        _http.DefaultRequestHeaders.Add("x-ms-client-request-id", "my-client-id");
        var response = await _http.GetAsync(Api(Dev.ResourceId));
        var body = await JsonOf(response);

        Assert.Equal((Dev.ResourceId, "mlw-dev", "Microsoft.MachineLearningServices/workspaces", "westeurope", "Succeeded"),
            (body["id"]!.GetValue<string>(), body["name"]!.GetValue<string>(), body["type"]!.GetValue<string>(), body["location"]!.GetValue<string>(), body["properties"]!["provisioningState"]!.GetValue<string>()));
        Assert.Equal($"azureml://{_emulator.Endpoint.Authority}/mlflow/v1.0{Dev.ResourceId}", body["properties"]!["mlFlowTrackingUri"]!.GetValue<string>());
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-ms-request-id").Single(), out _));
        Assert.True(response.Headers.Contains("x-ms-correlation-request-id"));
        Assert.Equal("my-client-id", response.Headers.GetValues("x-ms-client-request-id").Single());
        Assert.Equal("11999", response.Headers.GetValues("x-ms-ratelimit-remaining-subscription-reads").Single());
        Assert.Equal(new AzureEmulatorRequest(1, "GET", Dev.ResourceId, "Workspaces_Get", 200, "2025-12-01", "my-client-id"), Assert.Single(_emulator.Requests));
    }

    [Fact]
    public async Task ArmsRefusals_AreErrorEnvelopes()
    {
        using var anonymous = _emulator.CreateHttpClient();
        var noToken = await anonymous.GetAsync(Api(Dev.ResourceId));
        using var wrong = _emulator.CreateHttpClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-it");
        var wrongToken = await wrong.GetAsync(Api(Dev.ResourceId));
        var noVersion = await _http.GetAsync(Dev.ResourceId.TrimStart('/'));
        var unknown = await _http.GetAsync(Api("/subscriptions/x/providers/Microsoft.Compute/virtualMachines"));
        var missing = await _http.GetAsync(Api(Dev.ResourceId.Replace("mlw-dev", "mlw-nope", StringComparison.Ordinal)));
        var badJson = await PutAsync(Api(Dev.ResourceId + "/models/m/versions/1"), "{not json");
        var badBody = await PutAsync(Api(Dev.ResourceId + "/models/m/versions/1"), """{"properties":{"tags":{"a":1}}}""");

        Assert.Equal((HttpStatusCode.Unauthorized, "AuthenticationFailed"), (noToken.StatusCode, (await JsonOf(noToken))["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidAuthenticationToken"), (wrongToken.StatusCode, (await JsonOf(wrongToken))["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "MissingApiVersionParameter"), (noVersion.StatusCode, (await JsonOf(noVersion))["error"]!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var notFound = (await JsonOf(missing))["error"]!;
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound"), (missing.StatusCode, notFound["code"]!.GetValue<string>()));
        Assert.Contains("mlw-nope", notFound["message"]!.GetValue<string>());
        Assert.NotNull(notFound["details"]);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestContent"), (badJson.StatusCode, (await JsonOf(badJson))["error"]!["code"]!.GetValue<string>()));
        var bad = (await JsonOf(badBody))["error"]!;
        Assert.Equal(("BadRequest", "properties.tags.a"), (bad["code"]!.GetValue<string>(), bad["target"]!.GetValue<string>()));
        Assert.Single(_emulator.UnmatchedRequests);
        Assert.DoesNotContain(_emulator.MachineLearning.Calls, c => c.IsWrite);
    }

    [Fact]
    public async Task Lists_ArePagedWithNextLink_AndFilteredByListViewType()
    {
        for (var version = 1; version <= 5; version++)
        {
            await _emulator.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit", version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://jobs/j/outputs/artifacts/paths/model/"), IsArchived = version == 5 });
        }

        var names = new List<string>();
        string? next = Api(Dev.ResourceId + "/models/credit/versions?listViewType=All");
        while (next is not null)
        {
            var page = await JsonOf(await _http.GetAsync(next));
            names.AddRange(page["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
            next = page["nextLink"]?.GetValue<string>();
            Assert.True(next is null || next.StartsWith(_emulator.Endpoint.AbsoluteUri, StringComparison.Ordinal));
            Assert.True(next is null || next.Contains("listViewType=All", StringComparison.Ordinal));
        }

        var active = await JsonOf(await _http.GetAsync(Api(Dev.ResourceId + "/models/credit/versions?$skip=2")));

        Assert.Equal(["1", "2", "3", "4", "5"], names);
        Assert.Equal(["3", "4"], active["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
        Assert.Null(active["nextLink"]);
    }

    [Fact]
    public async Task RegistryVersionPut_AnswersAzureAsyncOperation_ThatCompletesAfterTheConfiguredPolls()
    {
        var put = await PutAsync(Api(Registry.ResourceId + "/models/credit/versions/1"), """{"properties":{"modelUri":"https://s.example.test/m/","modelType":"mlflow_model","tags":{"k":"v"}}}""");
        var status = put.Headers.GetValues("Azure-AsyncOperation").Single();
        var first = await JsonOf(await _http.GetAsync(status));
        Assert.Null(await _emulator.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit", "1"));
        var second = await JsonOf(await _http.GetAsync(status));
        var third = await JsonOf(await _http.GetAsync(status));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Creating", (await JsonOf(put))["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("12", put.Headers.GetValues("Retry-After").Single());
        Assert.StartsWith(_emulator.Endpoint.AbsoluteUri + "subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.MachineLearningServices/locations/westeurope/mfeOperationsStatus/", status, StringComparison.Ordinal);
        Assert.Equal(("InProgress", "Succeeded", "Succeeded"), (first["status"]!.GetValue<string>(), second["status"]!.GetValue<string>(), third["status"]!.GetValue<string>()));
        Assert.Equal("v", (await _emulator.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit", "1"))!.Properties.Tags["k"]);
        Assert.Equal(["RegistryModelVersions_CreateOrUpdate", "OperationStatus_Get", "OperationStatus_Get", "OperationStatus_Get"], _emulator.Requests.Select(r => r.Operation));
    }

    [Fact]
    public async Task Publish_AnswersLocation_AndAFailedOperationEndsWithItsError()
    {
        await _emulator.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit", "1", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://jobs/j/outputs/artifacts/paths/model/") });
        var body = new StringContent("""{"registryName":"mlr-shared","destinationName":"credit","destinationVersion":"1"}""", Encoding.UTF8, "application/json");
        var post = await _http.PostAsync(Api(Dev.ResourceId + "/models/credit/versions/1/publish"), body);
        var location = post.Headers.Location!;
        var running = await _http.GetAsync(location);
        var done = await _http.GetAsync(location);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.OK), (post.StatusCode, running.StatusCode, done.StatusCode));
        Assert.Contains("/mfeOperationResults/", location.AbsolutePath, StringComparison.Ordinal);
        Assert.NotNull(await _emulator.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit", "1"));

        _emulator.FailNextLongRunningOperation("Boom", "It broke.");
        var again = await _http.PostAsync(Api(Dev.ResourceId + "/models/credit/versions/1/publish"),
            new StringContent("""{"registryName":"mlr-shared"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await _emulator.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "credit", "2", new MachineLearningModelVersionProperties { ModelUri = new Uri("azureml://jobs/k/outputs/artifacts/paths/model/") });
        var failing = await _http.PostAsync(Api(Dev.ResourceId + "/models/credit/versions/2/publish"),
            new StringContent("""{"registryName":"mlr-shared"}""", Encoding.UTF8, "application/json"));
        await _http.GetAsync(failing.Headers.Location);
        var failed = await _http.GetAsync(failing.Headers.Location);
        Assert.Equal((HttpStatusCode.InternalServerError, "Boom"), (failed.StatusCode, (await JsonOf(failed))["error"]!["code"]!.GetValue<string>()));
        Assert.Null(await _emulator.MachineLearning.GetRegistryModelVersionAsync(Registry, "credit", "2"));
    }

    [Fact]
    public async Task InjectedThrottling_Answers429WithRetryAfter_ToMatchingRequestsOnly()
    {
        _emulator.InjectThrottling(2, TimeSpan.FromSeconds(30), r => r.Method == "GET" && r.Operation == "Workspaces_Get");

        var first = await _http.GetAsync(Api(Dev.ResourceId));
        var other = await _http.GetAsync(Api(Dev.ResourceId + "/jobs"));
        var second = await _http.GetAsync(Api(Dev.ResourceId));
        var third = await _http.GetAsync(Api(Dev.ResourceId));

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK), (first.StatusCode, other.StatusCode, second.StatusCode, third.StatusCode));
        Assert.Equal("30", first.Headers.GetValues("Retry-After").Single());
        Assert.Equal("TooManyRequests", (await JsonOf(first))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, _emulator.MachineLearning.Calls.Count(c => c.Operation == "Workspaces_Get"));
    }

    [Fact]
    public async Task FaultsInjectedInTheFake_AnswerWithTheirStatusAndCode()
    {
        _emulator.MachineLearning.Faults.FailWhen(c => c.Operation == "Jobs_List", c => new RemoteServiceException("Azure", c.Operation, 503, "Service busy.", "ServiceUnavailable"));
        _emulator.Identity.Faults.FailWhen(c => c.Operation == "UserAssignedIdentities_Get", _ => new InvalidOperationException("boom"));

        var jobs = await _http.GetAsync(Api(Dev.ResourceId + "/jobs"));
        var identity = await _http.GetAsync(Api("/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/i", "2024-11-30"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"), (jobs.StatusCode, (await JsonOf(jobs))["error"]!["code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.InternalServerError, "InternalServerError"), (identity.StatusCode, (await JsonOf(identity))["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RoleAssignments_AnswerRoleAssignmentExists_ForASecondNameOfTheSameAssignment()
    {
        const string scope = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml";
        const string body = """{"properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121","principalId":"22222222-2222-2222-2222-222222222222","principalType":"ServicePrincipal"}}""";

        var created = await PutAsync(Api(scope + "/providers/Microsoft.Authorization/roleAssignments/11111111-0000-0000-0000-000000000001", "2022-04-01"), body);
        var same = await PutAsync(Api(scope + "/providers/Microsoft.Authorization/roleAssignments/11111111-0000-0000-0000-000000000001", "2022-04-01"), body);
        var twin = await PutAsync(Api(scope + "/providers/Microsoft.Authorization/roleAssignments/11111111-0000-0000-0000-000000000002", "2022-04-01"), body);
        var notGuid = await PutAsync(Api(scope + "/providers/Microsoft.Authorization/roleAssignments/my-assignment", "2022-04-01"), body);
        var listed = await JsonOf(await _http.GetAsync(Api(Dev.ResourceId + "/providers/Microsoft.Authorization/roleAssignments?$filter=" + Uri.EscapeDataString("principalId eq '22222222-2222-2222-2222-222222222222'"), "2022-04-01")));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest), (created.StatusCode, same.StatusCode, twin.StatusCode, notGuid.StatusCode));
        Assert.Equal("RoleAssignmentExists", (await JsonOf(twin))["error"]!["code"]!.GetValue<string>());
        var item = Assert.Single(listed["value"]!.AsArray())!;
        Assert.Equal((scope + "/providers/Microsoft.Authorization/roleAssignments/11111111-0000-0000-0000-000000000001", scope),
            (item["id"]!.GetValue<string>(), item["properties"]!["scope"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Mlflow_IsServedUnderTheWorkspacesTrackingPath()
    {
        _emulator.MachineLearning.LogMetric(Dev, "run-1", "auc", 0.9, 3, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000))
            .LogMetric(Dev, "run-1", "loss", double.PositiveInfinity, 0, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var root = $"mlflow/v1.0{Dev.ResourceId}/api/2.0/mlflow";

        var run = await JsonOf(await _http.GetAsync(root + "/runs/get?run_id=run-1"));
        var missing = await _http.GetAsync(root + "/runs/get?run_id=nope");
        var noKey = await _http.GetAsync(root + "/metrics/get-history?run_id=run-1");

        var metrics = run["run"]!["data"]!["metrics"]!.AsArray();
        Assert.Equal(("run-1", "auc", 0.9, 3L, 1_700_000_000_000L), (run["run"]!["info"]!["run_id"]!.GetValue<string>(), metrics[0]!["key"]!.GetValue<string>(),
            metrics[0]!["value"]!.GetValue<double>(), metrics[0]!["step"]!.GetValue<long>(), metrics[0]!["timestamp"]!.GetValue<long>()));
        Assert.Equal("Infinity", metrics[1]!["value"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST"), (missing.StatusCode, (await JsonOf(missing))["error_code"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), (noKey.StatusCode, (await JsonOf(noKey))["error_code"]!.GetValue<string>()));
        Assert.All(_emulator.Requests, r => Assert.Null(r.ApiVersion));
    }
}
