using System.Net;
using System.Text.Json;

namespace MlEnvironments.Testing.Tests.Emulators;

public class OpenApiValidationTests : EmulatorTestBase
{
    /// <summary>The operations the emulator serves (the brief's list).</summary>
    public static readonly string[] Served =
    [
        "repos/get-all-environments", "repos/get-environment", "repos/create-or-update-environment", "repos/delete-an-environment",
        "repos/list-deployment-branch-policies", "repos/create-deployment-branch-policy", "repos/get-deployment-branch-policy",
        "repos/update-deployment-branch-policy", "repos/delete-deployment-branch-policy", "repos/get-all-deployment-protection-rules",
        "repos/create-deployment-protection-rule", "repos/list-custom-deployment-rule-integrations", "repos/get-custom-deployment-protection-rule",
        "repos/disable-deployment-protection-rule", "actions/get-environment-public-key", "actions/list-environment-secrets",
        "actions/get-environment-secret", "actions/create-or-update-environment-secret", "actions/delete-environment-secret",
        "actions/list-environment-variables", "actions/create-environment-variable", "actions/get-environment-variable",
        "actions/update-environment-variable", "actions/delete-environment-variable", "users/get-by-username", "teams/get-by-name",
        "repos/check-collaborator", "repos/get-collaborator-permission-level", "teams/check-permissions-for-repo-in-org", "repos/get",
        "actions/get-custom-oidc-sub-claim-for-repo", "apps/get-repo-installation", "apps/create-installation-access-token", "rate-limit/get",
    ];

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonElement Value(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task EveryServedOperation_IsMatchedByItsPathTemplate_AndAnswered()
    {
        foreach (var id in Served)
        {
            var operation = OpenApiDescription.Default[id];
            var path = operation.Path
                .Replace("{owner}/{repo}", Repo.ToString(), StringComparison.Ordinal)
                .Replace("{org}", "octo-org", StringComparison.Ordinal)
                .Replace("{environment_name}", "prod", StringComparison.Ordinal)
                .Replace("{branch_policy_id}", "1", StringComparison.Ordinal)
                .Replace("{protection_rule_id}", "1", StringComparison.Ordinal)
                .Replace("{installation_id}", "1", StringComparison.Ordinal)
                .Replace("{secret_name}", "S", StringComparison.Ordinal)
                .Replace("{name}", "V", StringComparison.Ordinal)
                .Replace("{username}", "ana", StringComparison.Ordinal)
                .Replace("{team_slug}", "ml-leads", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);

            var response = await SendAsync(new HttpMethod(operation.Method), path.TrimStart('/'));

            Assert.NotEqual(HttpStatusCode.NotImplemented, response.StatusCode);
            Assert.Equal(id, Emulator.Requests[^1].OperationId);
        }

        Assert.Empty(Emulator.UnmatchedRequests);
    }

    [Fact]
    public void TheSpecsOwnRequestExamples_Validate()
    {
        var checkedExamples = 0;
        foreach (var operation in OpenApiDescription.Default.Operations)
        {
            if (operation.RequestBodySchema is not { } schema ||
                !operation.Element.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("examples", out var examples))
            {
                continue;
            }

            foreach (var example in examples.EnumerateObject())
            {
                Assert.Empty(JsonSchemaValidator.Validate(schema, example.Value.GetProperty("value")));
                checkedExamples++;
            }
        }

        Assert.True(checkedExamples > 10, $"only {checkedExamples} examples checked");
    }

    [Fact]
    public void Validator_ChecksTypesIncludingInteger_RequiredAndAdditionalProperties()
    {
        var schema = Schema("""
            {"type": "object", "required": ["id"], "additionalProperties": false,
             "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 10}, "name": {"type": "string", "minLength": 2, "maxLength": 3}}}
            """);

        Assert.Empty(JsonSchemaValidator.Validate(schema, Value("""{"id": 3, "name": "ab"}""")));
        Assert.Contains("/id: 1.5 is not an integer.", JsonSchemaValidator.Validate(schema, Value("""{"id": 1.5}""")));
        Assert.Contains("(body): \"id\" wasn't supplied.", JsonSchemaValidator.Validate(schema, Value("""{"name": "ab"}""")));
        Assert.Contains("(body): \"extra\" is not a permitted key.", JsonSchemaValidator.Validate(schema, Value("""{"id": 1, "extra": true}""")));
        Assert.Contains("/id: 0 is less than the minimum 1.", JsonSchemaValidator.Validate(schema, Value("""{"id": 0}""")));
        Assert.Contains("/id: 11 is greater than the maximum 10.", JsonSchemaValidator.Validate(schema, Value("""{"id": 11}""")));
        Assert.Contains("/name: the string is shorter than 2 characters.", JsonSchemaValidator.Validate(schema, Value("""{"id": 1, "name": "a"}""")));
        Assert.Contains("/name: the string is longer than 3 characters.", JsonSchemaValidator.Validate(schema, Value("""{"id": 1, "name": "abcd"}""")));
        Assert.Contains("/name: a string is not", Assert.Single(JsonSchemaValidator.Validate(Schema("""{"properties": {"name": {"type": "integer"}}}"""), Value("""{"name": "secret"}"""))), StringComparison.Ordinal);
        Assert.Contains("(body): a request body is required.", JsonSchemaValidator.Validate(schema, null));
    }

    [Fact]
    public void Validator_ChecksNullableEnumItemsAnyOfAndOneOf()
    {
        var schema = Schema("""
            {"type": "object", "properties": {
              "list": {"type": "array", "nullable": true, "maxItems": 2, "items": {"type": "string", "enum": ["User", "Team"]}},
              "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
              "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
              "strict": {"type": "boolean"}}}
            """);

        Assert.Empty(JsonSchemaValidator.Validate(schema, Value("""{"list": null, "either": 1, "one": 1.5}""")));
        Assert.Empty(JsonSchemaValidator.Validate(schema, Value("""{"list": ["User", "Team"], "either": "x"}""")));
        Assert.Contains("/list/1: \"Bot\" is not a member of [\"User\", \"Team\"].", JsonSchemaValidator.Validate(schema, Value("""{"list": ["User", "Bot"]}""")));
        Assert.Contains("/list: the array has more than 2 items.", JsonSchemaValidator.Validate(schema, Value("""{"list": ["User", "User", "Team"]}""")));
        Assert.Contains("/strict: null is not allowed.", JsonSchemaValidator.Validate(schema, Value("""{"strict": null}""")));
        Assert.StartsWith("/either: no subschema in \"anyOf\" matched", Assert.Single(JsonSchemaValidator.Validate(schema, Value("""{"either": true}"""))), StringComparison.Ordinal);
        Assert.Equal("/one: more than one subschema in \"oneOf\" matched.", Assert.Single(JsonSchemaValidator.Validate(schema, Value("""{"one": 2}"""))));
    }

    [Fact]
    public void Validator_RejectsAnEnvironmentWithoutItsRequiredFields()
    {
        var schema = OpenApiDescription.Default["repos/get-environment"].ResponseSchema(200)!.Value;

        var errors = JsonSchemaValidator.Validate(schema, Value("""{"id": 1, "name": "prod", "protection_rules": [{"type": "wait_timer"}]}"""));

        Assert.Contains("(body): \"node_id\" wasn't supplied.", errors);
        Assert.Contains(errors, e => e.StartsWith("/protection_rules/0: no subschema in \"anyOf\" matched", StringComparison.Ordinal));
    }

    [Fact]
    public void Description_MatchesLiteralSegmentsBeforeParameters()
    {
        var description = OpenApiDescription.Default;

        Assert.Equal("actions/get-environment-public-key", description.Match("GET", ["repos", "o", "r", "environments", "prod", "secrets", "public-key"])!.Operation.Id);
        Assert.Equal("actions/get-environment-secret", description.Match("GET", ["repos", "o", "r", "environments", "prod", "secrets", "KEY"])!.Operation.Id);
        Assert.Equal("repos/list-custom-deployment-rule-integrations", description.Match("GET", ["repos", "o", "r", "environments", "e", "deployment_protection_rules", "apps"])!.Operation.Id);
        var slash = description.Match("GET", ["repos", "o", "r", "environments", "release/v1"])!;
        Assert.Equal(("repos/get-environment", "release/v1"), (slash.Operation.Id, slash.PathParameters["environment_name"]));
        Assert.Null(description.Match("GET", ["repos", "o", "r", "environments", ""]));
        Assert.Null(description.Match("PATCH", ["repos", "o", "r", "environments", "prod"]));
    }

    [Fact]
    public void Validator_TranslatesOpenApi30_NullableWithoutType_BooleanExclusiveBounds_AndUnresolvedReferences()
    {
        var either = Schema("""{"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]}""");
        var bounded = Schema("""{"type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": false}""");
        var unresolved = Schema("""{"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/simple-user", "x-unresolved": "depth-limit"}}}""");

        Assert.Empty(JsonSchemaValidator.Validate(either, Value("null")));
        Assert.Empty(JsonSchemaValidator.Validate(either, Value("\"x\"")));
        Assert.StartsWith("(body): no subschema in \"anyOf\" matched", Assert.Single(JsonSchemaValidator.Validate(either, Value("true"))), StringComparison.Ordinal);
        Assert.Equal("(body): 1 is not greater than 1.", Assert.Single(JsonSchemaValidator.Validate(bounded, Value("1"))));
        Assert.Empty(JsonSchemaValidator.Validate(bounded, Value("5")));
        Assert.Empty(JsonSchemaValidator.Validate(unresolved, Value("""{"owner": {"login": "ana"}}""")));
        Assert.Empty(JsonSchemaValidator.Validate(unresolved, Value("""{"owner": null}""")));
    }

    [Fact]
    public void Validator_DoesNotEchoStrings_ThatMayBeSecrets()
    {
        var schema = Schema("""{"type": "object", "properties": {"encrypted_value": {"type": "string", "pattern": "^[A-Z]+$", "maxLength": 3}}}""");

        var errors = JsonSchemaValidator.Validate(schema, Value("""{"encrypted_value": "c2VjcmV0LXZhbHVl"}"""));

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("c2VjcmV0LXZhbHVl", e, StringComparison.Ordinal));
    }
}
