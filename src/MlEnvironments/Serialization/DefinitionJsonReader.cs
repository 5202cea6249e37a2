using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.Json;

namespace MlEnvironments.Serialization;

internal static class DefinitionJsonReader
{
    private static readonly string[] SetProperties = ["$schema", "repositories"];
    private static readonly string[] RepositoryProperties = ["$schema", "repository", "environments"];
    private static readonly string[] EnvironmentProperties =
        ["name", "reviewers", "waitTimerMinutes", "preventSelfReview", "canAdminsBypass", "branchPolicy", "workspace", "variables", "secrets", "gates", "protectionRules"];

    private static readonly string[] PolicyProperties = ["mode", "patterns"];
    private static readonly string[] WorkspaceProperties = ["subscriptionId", "resourceGroup", "name", "login", "registry"];
    private static readonly string[] ThresholdGateProperties = ["type", "metric", "threshold"];
    private static readonly string[] ChampionGateProperties = ["type", "metric", "direction", "minAbsoluteChange", "minRelativeChange"];
    private static readonly string[] KeyGateProperties = ["type", "key", "value"];
    private static readonly string[] JobGateProperties = ["type"];

    public static string GateTypeName(PromotionGateKind kind) => kind switch
    {
        PromotionGateKind.MetricAtLeast => "metricAtLeast",
        PromotionGateKind.MetricAtMost => "metricAtMost",
        PromotionGateKind.ImprovesOnChampion => "improvesOnChampion",
        PromotionGateKind.RequiredTag => "requiredTag",
        PromotionGateKind.RequiredProperty => "requiredProperty",
        _ => "trainingJobCompleted",
    };
    private static readonly string[] LoginProperties = ["oidc", "servicePrincipal"];
    private static readonly string[] OidcProperties = ["identity", "role"];
    private static readonly string[] ServicePrincipalProperties = ["clientId", "tenantId", "clientSecret"];

    public static string PolicyModeName(DeploymentBranchPolicyKind kind) => kind switch
    {
        DeploymentBranchPolicyKind.ProtectedBranches => "protectedBranches",
        DeploymentBranchPolicyKind.CustomPatterns => "custom",
        _ => "allBranches",
    };

    public static RepositorySetDefinition ReadSet(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "$");
        if (root.TryGetProperty("repository", out _))
        {
            return new RepositorySetDefinition([ReadRepository(root, "$")]);
        }

        CheckProperties(root, "$", SetProperties);
        var repositories = Required(root, "repositories", "$");
        Expect(repositories, JsonValueKind.Array, "$.repositories");
        var list = ImmutableArray.CreateBuilder<RepositoryDefinition>();
        var index = 0;
        foreach (var item in repositories.EnumerateArray())
        {
            list.Add(ReadRepository(item, $"$.repositories[{index++}]"));
        }

        return new RepositorySetDefinition(list.ToImmutable());
    }

    public static RepositoryDefinition ReadRepository(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, RepositoryProperties);
        var text = ReadString(Required(element, "repository", path), path + ".repository");
        if (!RepositoryId.TryParse(text, out var repository))
        {
            throw new DefinitionFormatException(path + ".repository", $"'{text}' is not a repository: use 'owner/name'.");
        }

        var environments = ImmutableArray.CreateBuilder<EnvironmentDefinition>();
        if (element.TryGetProperty("environments", out var array))
        {
            Expect(array, JsonValueKind.Array, path + ".environments");
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                environments.Add(ReadEnvironment(item, $"{path}.environments[{index++}]"));
            }
        }

        return new RepositoryDefinition(repository, environments.ToImmutable());
    }

    public static EnvironmentDefinition ReadEnvironment(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, EnvironmentProperties);
        var environment = new EnvironmentDefinition(ReadString(Required(element, "name", path), path + ".name"));

        if (element.TryGetProperty("reviewers", out var reviewers))
        {
            Expect(reviewers, JsonValueKind.Array, path + ".reviewers");
            var list = new List<Reviewer>();
            var index = 0;
            foreach (var item in reviewers.EnumerateArray())
            {
                var itemPath = $"{path}.reviewers[{index++}]";
                var text = ReadString(item, itemPath);
                list.Add(Reviewer.TryParse(text, out var reviewer)
                    ? reviewer
                    : throw new DefinitionFormatException(itemPath, $"'{text}' is not a reviewer: use 'user:<login>' or 'team:<slug>'."));
            }

            environment = environment.RequireReviewers(list);
        }

        if (element.TryGetProperty("waitTimerMinutes", out var timer))
        {
            if (timer.ValueKind != JsonValueKind.Number || !timer.TryGetDouble(out var minutes) || double.IsNaN(minutes) ||
                Math.Abs(minutes) > TimeSpan.MaxValue.TotalMinutes)
            {
                throw new DefinitionFormatException(path + ".waitTimerMinutes", "The wait timer is a number of minutes.");
            }

            environment = environment.WithWaitTimer(TimeSpan.FromTicks((long)Math.Round(minutes * TimeSpan.TicksPerMinute)));
        }

        if (ReadBoolean(element, "preventSelfReview", path) is true)
        {
            environment = environment.PreventSelfReview();
        }

        if (ReadBoolean(element, "canAdminsBypass", path) is false)
        {
            environment = environment.PreventAdminsBypass();
        }

        if (element.TryGetProperty("branchPolicy", out var policy))
        {
            environment = environment.WithBranchPolicy(ReadPolicy(policy, path + ".branchPolicy"));
        }

        if (element.TryGetProperty("workspace", out var workspace))
        {
            var workspacePath = path + ".workspace";
            Expect(workspace, JsonValueKind.Object, workspacePath);
            CheckProperties(workspace, workspacePath, WorkspaceProperties);
            var workspaceId = new WorkspaceId(
                ReadString(Required(workspace, "subscriptionId", workspacePath), workspacePath + ".subscriptionId"),
                ReadString(Required(workspace, "resourceGroup", workspacePath), workspacePath + ".resourceGroup"),
                ReadString(Required(workspace, "name", workspacePath), workspacePath + ".name"));
            environment = workspace.TryGetProperty("login", out var login)
                ? environment.BindWorkspace(workspaceId, ReadLogin(login, workspacePath + ".login"))
                : environment.BindWorkspace(workspaceId);
            if (workspace.TryGetProperty("registry", out var registry))
            {
                var text = ReadString(registry, workspacePath + ".registry");
                try
                {
                    environment = environment.ShareThroughRegistry(MachineLearning.MachineLearningRegistryId.Parse(text));
                }
                catch (FormatException e)
                {
                    throw new DefinitionFormatException(workspacePath + ".registry", e.Message, e);
                }
            }
        }

        if (element.TryGetProperty("variables", out var variables))
        {
            Expect(variables, JsonValueKind.Object, path + ".variables");
            var list = new List<VariableDefinition>();
            foreach (var property in variables.EnumerateObject())
            {
                list.Add(new VariableDefinition(property.Name, ReadString(property.Value, $"{path}.variables.{property.Name}")));
            }

            environment = environment.WithVariablesUnchecked(list);
        }

        if (element.TryGetProperty("secrets", out var secrets))
        {
            Expect(secrets, JsonValueKind.Object, path + ".secrets");
            var list = new List<SecretDefinition>();
            foreach (var property in secrets.EnumerateObject())
            {
                list.Add(new SecretDefinition(property.Name, ReadSecretValue(property.Value, $"{path}.secrets.{property.Name}")));
            }

            environment = environment.WithSecretsUnchecked(list);
        }

        if (element.TryGetProperty("gates", out var gates))
        {
            Expect(gates, JsonValueKind.Array, path + ".gates");
            var list = new List<PromotionGate>();
            var index = 0;
            foreach (var item in gates.EnumerateArray())
            {
                list.Add(ReadGate(item, $"{path}.gates[{index++}]"));
            }

            environment = environment.WithGates([.. list]);
        }

        if (element.TryGetProperty("protectionRules", out var rules))
        {
            Expect(rules, JsonValueKind.Array, path + ".protectionRules");
            var index = 0;
            foreach (var item in rules.EnumerateArray())
            {
                var itemPath = $"{path}.protectionRules[{index++}]";
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var appId))
                {
                    throw new DefinitionFormatException(itemPath, "A protection rule is a GitHub App's numeric id.");
                }

                environment = environment.RequireProtectionRule(appId);
            }
        }

        return environment;
    }

    private static PromotionGate ReadGate(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var type = ReadString(Required(element, "type", path), path + ".type");
        switch (type)
        {
            case "metricAtLeast" or "metricAtMost":
                CheckProperties(element, path, ThresholdGateProperties);
                var metric = ReadString(Required(element, "metric", path), path + ".metric");
                var threshold = ReadNumber(Required(element, "threshold", path), path + ".threshold");
                return type == "metricAtLeast" ? MlEnvironment.MetricAtLeast(metric, threshold) : MlEnvironment.MetricAtMost(metric, threshold);
            case "improvesOnChampion":
                CheckProperties(element, path, ChampionGateProperties);
                var direction = element.TryGetProperty("direction", out var d)
                    ? ReadString(d, path + ".direction") switch
                    {
                        "higherIsBetter" => MetricDirection.HigherIsBetter,
                        "lowerIsBetter" => MetricDirection.LowerIsBetter,
                        var other => throw new DefinitionFormatException(path + ".direction", $"Unknown direction '{other}': use 'higherIsBetter' or 'lowerIsBetter'."),
                    }
                    : MetricDirection.HigherIsBetter;
                return MlEnvironment.ImprovesOnChampion(
                    ReadString(Required(element, "metric", path), path + ".metric"),
                    direction,
                    element.TryGetProperty("minAbsoluteChange", out var absolute) ? ReadNumber(absolute, path + ".minAbsoluteChange") : 0,
                    element.TryGetProperty("minRelativeChange", out var relative) ? ReadNumber(relative, path + ".minRelativeChange") : 0);
            case "requiredTag" or "requiredProperty":
                CheckProperties(element, path, KeyGateProperties);
                var key = ReadString(Required(element, "key", path), path + ".key");
                var value = element.TryGetProperty("value", out var v) ? ReadString(v, path + ".value") : null;
                return type == "requiredTag" ? MlEnvironment.RequiredTag(key, value) : MlEnvironment.RequiredProperty(key, value);
            case "trainingJobCompleted":
                CheckProperties(element, path, JobGateProperties);
                return MlEnvironment.TrainingJobCompleted();
            default:
                throw new DefinitionFormatException(path + ".type",
                    $"Unknown gate type '{type}': use 'metricAtLeast', 'metricAtMost', 'improvesOnChampion', 'requiredTag', 'requiredProperty' or 'trainingJobCompleted'.");
        }
    }

    private static double ReadNumber(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value)
            ? value
            : throw new DefinitionFormatException(path, $"Expected a number, found {Describe(element.ValueKind)}.");

    private static WorkspaceLogin ReadLogin(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, LoginProperties);
        if (element.TryGetProperty("oidc", out var oidc))
        {
            var oidcPath = path + ".oidc";
            Expect(oidc, JsonValueKind.Object, oidcPath);
            CheckProperties(oidc, oidcPath, OidcProperties);
            var text = ReadString(Required(oidc, "identity", oidcPath), oidcPath + ".identity");
            Identity.UserAssignedIdentityId identity;
            try
            {
                identity = Identity.UserAssignedIdentityId.Parse(text);
            }
            catch (FormatException e)
            {
                throw new DefinitionFormatException(oidcPath + ".identity", e.Message, e);
            }

            return WorkspaceLogin.Oidc(identity, oidc.TryGetProperty("role", out var role) ? ReadString(role, oidcPath + ".role") : null);
        }

        if (element.TryGetProperty("servicePrincipal", out var principal))
        {
            var principalPath = path + ".servicePrincipal";
            Expect(principal, JsonValueKind.Object, principalPath);
            CheckProperties(principal, principalPath, ServicePrincipalProperties);
            return WorkspaceLogin.ServicePrincipal(
                ReadGuid(Required(principal, "clientId", principalPath), principalPath + ".clientId"),
                ReadGuid(Required(principal, "tenantId", principalPath), principalPath + ".tenantId"),
                ReadSecretValue(Required(principal, "clientSecret", principalPath), principalPath + ".clientSecret"));
        }

        throw new DefinitionFormatException(path, "A login is {\"oidc\": {\"identity\": \"<ARM id>\"}} or {\"servicePrincipal\": {\"clientId\", \"tenantId\", \"clientSecret\"}}.");
    }

    private static Guid ReadGuid(JsonElement element, string path) =>
        Guid.TryParse(ReadString(element, path), out var value)
            ? value
            : throw new DefinitionFormatException(path, "Expected a GUID such as 00000000-0000-0000-0000-000000000000.");

    public static SecretValue ReadSecretValue(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            throw new DefinitionFormatException(path,
                "Secret values are never written inline in a definition: use {\"fromEnvironmentVariable\": \"NAME\"}, {\"fromConfiguration\": \"Key\"} or {\"existing\": true}.");
        }

        Expect(element, JsonValueKind.Object, path);
        var properties = element.EnumerateObject().ToList();
        if (properties.Count != 1)
        {
            throw new DefinitionFormatException(path,
                "A secret has exactly one of 'fromEnvironmentVariable', 'fromConfiguration' or 'existing'.");
        }

        var property = properties[0];
        return property.Name switch
        {
            "fromEnvironmentVariable" => SecretValue.FromEnvironmentVariable(ReadString(property.Value, path + ".fromEnvironmentVariable")),
            "fromConfiguration" => SecretValue.FromConfiguration(ReadString(property.Value, path + ".fromConfiguration")),
            "existing" when property.Value.ValueKind == JsonValueKind.True => SecretValue.Existing,
            "existing" => throw new DefinitionFormatException(path + ".existing", "'existing' can only be true."),
            _ => throw new DefinitionFormatException(path + "." + property.Name,
                $"Unknown secret source '{property.Name}': use 'fromEnvironmentVariable', 'fromConfiguration' or 'existing'."),
        };
    }

    private static DeploymentBranchPolicy ReadPolicy(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, PolicyProperties);
        var mode = ReadString(Required(element, "mode", path), path + ".mode");
        var kind = mode switch
        {
            "allBranches" => DeploymentBranchPolicyKind.AllBranches,
            "protectedBranches" => DeploymentBranchPolicyKind.ProtectedBranches,
            "custom" => DeploymentBranchPolicyKind.CustomPatterns,
            _ => throw new DefinitionFormatException(path + ".mode",
                $"Unknown branch policy mode '{mode}': use 'allBranches', 'protectedBranches' or 'custom'."),
        };

        var patterns = ImmutableArray.CreateBuilder<DeploymentRefPattern>();
        if (element.TryGetProperty("patterns", out var array))
        {
            Expect(array, JsonValueKind.Array, path + ".patterns");
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var itemPath = $"{path}.patterns[{index++}]";
                Expect(item, JsonValueKind.Object, itemPath);
                var properties = item.EnumerateObject().ToList();
                if (properties.Count != 1 || properties[0].Name is not ("branch" or "tag"))
                {
                    throw new DefinitionFormatException(itemPath, "A pattern is {\"branch\": \"pattern\"} or {\"tag\": \"pattern\"}.");
                }

                patterns.Add(new DeploymentRefPattern(
                    ReadString(properties[0].Value, itemPath + "." + properties[0].Name),
                    properties[0].Name == "branch" ? DeploymentRefType.Branch : DeploymentRefType.Tag));
            }
        }

        return new DeploymentBranchPolicy(kind, patterns.ToImmutable());
    }

    private static void CheckProperties(JsonElement element, string path, string[] allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
            {
                throw new DefinitionFormatException(path + "." + property.Name,
                    $"Unknown property '{property.Name}'; expected one of: {string.Join(", ", allowed.Where(a => a != "$schema"))}.");
            }
        }
    }

    private static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value)
            ? value
            : throw new DefinitionFormatException(path + "." + name, $"The property '{name}' is required.");

    private static bool? ReadBoolean(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new DefinitionFormatException(path + "." + name, $"'{name}' is true or false."),
        };
    }

    private static string ReadString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new DefinitionFormatException(path, $"Expected a string, found {Describe(element.ValueKind)}.");

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new DefinitionFormatException(path, $"Expected {Describe(kind)}, found {Describe(element.ValueKind)}.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
