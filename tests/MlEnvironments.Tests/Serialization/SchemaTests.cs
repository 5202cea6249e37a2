using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using MlEnvironments.Identity;
using MlEnvironments.Serialization;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Serialization;

/// <summary>The definition file format's JSON Schema: one source with the reader, shipped, and every example valid against it.</summary>
public class SchemaTests
{
    private const string SubscriptionId = "00000000-0000-0000-0000-000000000001";

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        MlEnvironmentsJson.GetSchema(),
        new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() }));

    internal static EvaluationResults Evaluate(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    internal static void AssertValid(string json, string what)
    {
        var results = Evaluate(json);
        Assert.True(results.IsValid, $"{what} does not conform to the schema: " + string.Join("; ",
            (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"))));
    }

    // The test assembly runs under the repository's tests/…/bin folder; source paths cannot be used, because CI builds
    // map them to "/_/" (ContinuousIntegrationBuild).
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MlEnvironments.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (MlEnvironments.sln) was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void TheEmbeddedSchema_IsTheOneGeneratedFromTheFormatTable()
    {
        var generated = DefinitionSchema.Generate();
        var file = Path.Combine(RepositoryRoot(), "src", "MlEnvironments", "Serialization", "mlenv.schema.json");
        if (System.Environment.GetEnvironmentVariable("MLENV_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(file, generated);
        }

        Assert.Equal(generated, File.ReadAllText(file).ReplaceLineEndings("\n"));
        Assert.Equal(generated, MlEnvironmentsJson.GetSchema().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheSchema_IsADraft202012Schema_WithTheDocumentedId()
    {
        var schema = JsonNode.Parse(MlEnvironmentsJson.GetSchema())!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
        Assert.Equal(MlEnvironmentsJson.SchemaUri, (string?)schema["$id"]);
        using var document = JsonDocument.Parse(MlEnvironmentsJson.GetSchema());
        var meta = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(meta.IsValid, "the schema does not conform to the draft 2020-12 meta-schema");
    }

    /// <summary>
    /// The property names the schema declares are exactly those the writer writes for definitions that use every
    /// feature, and reading them back loses nothing: a property the reader accepts but ignores, or one it reads that
    /// the schema lacks, fails here.
    /// </summary>
    [Fact]
    public void EveryPropertyOfTheSchema_IsReadAndWritten_AndNoOther()
    {
        var schemaNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var definition in JsonNode.Parse(MlEnvironmentsJson.GetSchema())!["$defs"]!.AsObject())
        {
            if (definition.Value!["properties"] is JsonObject properties)
            {
                foreach (var property in properties)
                {
                    schemaNames.Add(definition.Key + "." + property.Key);
                }
            }
        }

        var written = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var definition in EveryFeature())
        {
            var json = MlEnvironmentsJson.SerializeFile(definition);
            AssertValid(json, "the writer's output");
            Assert.Equal(definition, MlEnvironmentsJson.DeserializeRepository(json));
            var set = MlEnvironmentsJson.SerializeFile(new RepositorySetDefinition([definition]));
            AssertValid(set, "the writer's output");
            CollectNames(JsonNode.Parse(json)!, "repositoryDocument", written);
            CollectNames(JsonNode.Parse(set)!, "repositorySetDocument", written);
        }

        Assert.Equal(schemaNames, written);
    }

    // Walks a written document along the format's objects, naming each property by the object that holds it.
    private static void CollectNames(JsonNode node, string objectId, SortedSet<string> names)
    {
        var format = DefinitionFormat.Objects.Single(o => o.Id == objectId);
        foreach (var (name, value) in node.AsObject())
        {
            names.Add(objectId + "." + name);
            var schema = format.Properties.Single(p => p.Name == name).Schema();
            var target = (string?)schema["$ref"] ?? (string?)schema["items"]?["$ref"] ?? (string?)schema["additionalProperties"]?["$ref"];
            if (target is null)
            {
                continue;
            }

            var id = target["#/$defs/".Length..];
            var children = value switch
            {
                JsonArray array => array.Select(a => a!),
                JsonObject map when schema["additionalProperties"] is not null => map.Select(m => m.Value!),
                _ => [value!],
            };
            foreach (var child in children)
            {
                var childId = id == "gate"
                    ? DefinitionFormat.GateObjects.Single(g => g.ToSchema()["properties"]!["type"]!.ToJsonString().Contains($"\"{(string?)child["type"]}\"", StringComparison.Ordinal)).Id
                    : id;
                CollectNames(child, childId, names);
            }
        }
    }

    private static IEnumerable<RepositoryDefinition> EveryFeature()
    {
        var identity = UserAssignedIdentityId.Parse($"/subscriptions/{SubscriptionId}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-prod");
        var registry = MachineLearning.MachineLearningRegistryId.Parse($"/subscriptions/{SubscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/registries/reg-shared");
        yield return Repository("octo-org/credit-risk",
            Environment("dev")
                .BindWorkspace(Workspace(SubscriptionId, "rg-ml", "mlw-dev"), ServicePrincipalLogin(Guid.Parse("11111111-1111-1111-1111-111111111111"), Guid.Parse("22222222-2222-2222-2222-222222222222"), SecretValue.FromEnvironmentVariable("SP_SECRET")))
                .AllowBranches("main").AllowTags("v*")
                .WithSecret("TOKEN", SecretValue.FromConfiguration("Secrets:Token"))
                .WithSecret("OLD", SecretValue.Existing),
            Environment("prod")
                .RequireReviewers(User("ana"), Team("ml-leads"))
                .WithWaitTimer(TimeSpan.FromMinutes(30))
                .PreventSelfReview()
                .PreventAdminsBypass()
                .AllowProtectedBranchesOnly()
                .BindWorkspace(Workspace(SubscriptionId, "rg-ml", "mlw-prod"), OidcLogin(identity, "b24988ac-6180-42a0-ab88-20f7382dd24c"))
                .ShareThroughRegistry(registry)
                .WithVariable("MODEL_NAME", "credit-risk")
                .WithSecret("API_KEY", SecretValue.FromEnvironmentVariable("API_KEY"))
                .WithGates(
                    MetricAtLeast("auc", 0.8), MetricAtMost("latency", 50),
                    ImprovesOnChampion("auc", MetricDirection.LowerIsBetter, 0.01, 0.02),
                    RequiredTag("validated", "true"), RequiredProperty("owner"), TrainingJobCompleted())
                .RequireProtectionRule(777));
    }

    [Fact]
    public void TheReadmeExample_IsValid_AndReads()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Definition file format", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var examples = Regex.Matches(section, "```json\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            AssertValid(example, "the README's example");
            var set = MlEnvironmentsJson.DeserializeRepositorySet(example);
            Assert.True(set.Validate().IsValid, set.Validate().ToString());
        }

        // The README names every property of every object of the format.
        foreach (var format in DefinitionFormat.Objects)
        {
            foreach (var property in format.Properties)
            {
                Assert.Contains($"`{property.Name}`", section, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void EveryDefinitionFileOfTheRepository_IsValid()
    {
        var root = RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "mlenv*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            AssertValid(text, file);
            MlEnvironmentsJson.DeserializeRepositorySet(text).Validate().ThrowIfInvalid();
        }
    }

    /// <summary>
    /// Every JSON document written in a test source (a raw string literal) that the reader and validation accept is
    /// accepted by the schema too; so every fixture of the test suites is checked, including those added later.
    /// </summary>
    [Fact]
    public void EveryAcceptedFixtureOfTheTestSources_IsValid()
    {
        var root = Path.Combine(RepositoryRoot(), "tests");
        var checkedFixtures = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in Regex.Matches(File.ReadAllText(file), "\"\"\"\\s*(\\{.*?\\})\\s*\"\"\"", RegexOptions.Singleline))
            {
                var text = match.Groups[1].Value;
                if (text.Contains("{{", StringComparison.Ordinal))
                {
                    continue;
                }

                // A fixture of one environment is checked inside a repository.
                if (!(text.Contains("\"repository\"", StringComparison.Ordinal) || text.Contains("\"repositories\"", StringComparison.Ordinal)))
                {
                    text = $$"""{"repository": "octo-org/fixture", "environments": [{{text}}]}""";
                }

                RepositorySetDefinition set;
                try
                {
                    set = MlEnvironmentsJson.DeserializeRepositorySet(text);
                }
                catch (DefinitionFormatException)
                {
                    continue;
                }

                if (set.Validate().IsValid && !set.Repositories.IsEmpty)
                {
                    AssertValid(text, $"a fixture of {Path.GetFileName(file)}");
                    checkedFixtures++;
                }
            }
        }

        Assert.True(checkedFixtures >= 5, $"only {checkedFixtures} fixtures found");
    }

    [Theory]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "waitTimer": 3}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "waitTimerMinutes": 1.5}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "secrets": {"A": "inline"}}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "secrets": {"A": {"existing": true, "fromConfiguration": "k"}}}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "gates": [{"type": "metricAtLeast", "metric": "auc"}]}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "dev", "workspace": {"subscriptionId": "00000000-0000-0000-0000-000000000001", "resourceGroup": "rg", "name": "mlw", "login": {}}}]}""")]
    [InlineData("""{"repositories": [{"$schema": "x", "repository": "octo-org/a"}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": ".."}]}""")]
    [InlineData("""{"repository": "octo-org/a", "environments": [{"name": "prod\u200B"}]}""")]
    public void WhatTheReaderRefuses_TheSchemaRefusesToo(string json)
    {
        Assert.False(Evaluate(json).IsValid);
        Assert.ThrowsAny<MlEnvironmentsException>(() => MlEnvironmentsJson.DeserializeRepositorySet(json).Validate().ThrowIfInvalid());
    }

    [Fact]
    public void SchemaProperty_IsAccepted_AtTheTopOnly_AndWrittenFirstInFiles()
    {
        var file = MlEnvironmentsJson.SerializeFile(Repository("octo-org/a", Environment("dev")));

        Assert.StartsWith("{\n  \"$schema\": \"" + MlEnvironmentsJson.SchemaUri + "\"", file.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("octo-org/a", MlEnvironmentsJson.DeserializeRepository(file).Repository.ToString());
        Assert.Single(MlEnvironmentsJson.DeserializeRepositorySet("""{"$schema": "./mlenv.schema.json", "repositories": [{"repository": "octo-org/a"}]}""").Repositories);
        Assert.Equal("$.$schema", Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepository("""{"$schema": 1, "repository": "octo-org/a"}""")).Path);
        Assert.Equal("$.repositories[0].$schema", Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet("""{"repositories": [{"$schema": "x", "repository": "octo-org/a"}]}""")).Path);
        Assert.Equal("$.$schema", Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment("""{"$schema": "x", "name": "dev"}""")).Path);
    }
}
