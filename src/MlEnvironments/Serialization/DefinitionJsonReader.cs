using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Globalization;
using System.Text.Json;
using F = MlEnvironments.Serialization.DefinitionFormat;

namespace MlEnvironments.Serialization;

internal static class DefinitionJsonReader
{
    public static string GateTypeName(PromotionGateKind kind) => kind switch
    {
        PromotionGateKind.MetricAtLeast => "metricAtLeast",
        PromotionGateKind.MetricAtMost => "metricAtMost",
        PromotionGateKind.ImprovesOnChampion => "improvesOnChampion",
        PromotionGateKind.RequiredTag => "requiredTag",
        PromotionGateKind.RequiredProperty => "requiredProperty",
        _ => "trainingJobCompleted",
    };
    public static string PolicyModeName(DeploymentBranchPolicyKind kind) => kind switch
    {
        DeploymentBranchPolicyKind.ProtectedBranches => "protectedBranches",
        DeploymentBranchPolicyKind.CustomPatterns => "custom",
        _ => "allBranches",
    };

    /// <summary>Reads a file: a set of repositories, or one repository (with <c>repository</c> at its root).</summary>
    public static RepositorySetDefinition ReadSetDocument(JsonElement root)
    {
        Preflight(root, "$");
        Expect(root, JsonValueKind.Object, "$");
        if (root.TryGetProperty(F.Repository, out _))
        {
            return new RepositorySetDefinition([ReadRepository(root, "$", F.RepositoryDocument)]);
        }

        CheckProperties(root, "$", F.RepositorySetDocument);
        ReadSchemaReference(root);
        var repositories = Required(root, F.Repositories, "$");
        Expect(repositories, JsonValueKind.Array, "$." + F.Repositories);
        var list = ImmutableArray.CreateBuilder<RepositoryDefinition>();
        var index = 0;
        foreach (var item in repositories.EnumerateArray())
        {
            list.Add(ReadRepository(item, $"$.{F.Repositories}[{index++}]", F.RepositoryObject));
        }

        return new RepositorySetDefinition(list.ToImmutable());
    }

    /// <summary>Reads a file that holds one repository.</summary>
    public static RepositoryDefinition ReadRepositoryDocument(JsonElement root)
    {
        Preflight(root, "$");
        return ReadRepository(root, "$", F.RepositoryDocument);
    }

    /// <summary>Reads a document that holds one environment.</summary>
    public static EnvironmentDefinition ReadEnvironmentDocument(JsonElement root)
    {
        Preflight(root, "$");
        return ReadEnvironment(root, "$");
    }

    /// <summary>Reads a secret reference (a document of its own).</summary>
    public static SecretValue ReadSecretValueDocument(JsonElement root)
    {
        Preflight(root, "$");
        return ReadSecretValue(root, "$");
    }

    private static RepositoryDefinition ReadRepository(JsonElement element, string path, FormatObject format)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, format);
        if (format == F.RepositoryDocument)
        {
            ReadSchemaReference(element);
        }

        var text = ReadString(Required(element, F.Repository, path), path + "." + F.Repository);
        if (!RepositoryId.TryParse(text, out var repository))
        {
            throw new DefinitionFormatException(path + "." + F.Repository, $"{Quote(text)} is not a repository: use 'owner/name'.");
        }

        var environments = ImmutableArray.CreateBuilder<EnvironmentDefinition>();
        if (element.TryGetProperty(F.Environments, out var array))
        {
            Expect(array, JsonValueKind.Array, path + "." + F.Environments);
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                environments.Add(ReadEnvironment(item, $"{path}.{F.Environments}[{index++}]"));
            }
        }

        return new RepositoryDefinition(repository, environments.ToImmutable());
    }

    private static void ReadSchemaReference(JsonElement element)
    {
        if (element.TryGetProperty(F.SchemaProperty, out var schema))
        {
            ReadString(schema, "$." + F.SchemaProperty);
        }
    }

    private static EnvironmentDefinition ReadEnvironment(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, F.EnvironmentObject);
        var environment = new EnvironmentDefinition(ReadString(Required(element, F.Name, path), path + "." + F.Name));

        if (element.TryGetProperty(F.Reviewers, out var reviewers))
        {
            Expect(reviewers, JsonValueKind.Array, path + "." + F.Reviewers);
            var list = new List<Reviewer>();
            var index = 0;
            foreach (var item in reviewers.EnumerateArray())
            {
                var itemPath = $"{path}.{F.Reviewers}[{index++}]";
                var text = ReadString(item, itemPath);
                list.Add(Reviewer.TryParse(text, out var reviewer)
                    ? reviewer
                    : throw new DefinitionFormatException(itemPath, $"{Quote(text)} is not a reviewer: use 'user:<login>' or 'team:<slug>'."));
            }

            environment = environment.RequireReviewers(list);
        }

        if (element.TryGetProperty(F.WaitTimerMinutes, out var timer))
        {
            var minutes = ReadWholeNumber(timer, path + "." + F.WaitTimerMinutes, "The wait timer is a whole number of minutes (0 to 43200).");
            if (minutes is < -MaxTimerMinutes or > MaxTimerMinutes)
            {
                throw new DefinitionFormatException(path + "." + F.WaitTimerMinutes, "The wait timer is a whole number of minutes from 0 to 43200.");
            }

            environment = environment.WithWaitTimer(TimeSpan.FromTicks(minutes * TimeSpan.TicksPerMinute));
        }

        if (ReadBoolean(element, F.PreventSelfReview, path) is true)
        {
            environment = environment.PreventSelfReview();
        }

        if (ReadBoolean(element, F.CanAdminsBypass, path) is false)
        {
            environment = environment.PreventAdminsBypass();
        }

        if (element.TryGetProperty(F.BranchPolicy, out var policy))
        {
            environment = environment.WithBranchPolicy(ReadPolicy(policy, path + "." + F.BranchPolicy));
        }

        if (element.TryGetProperty(F.Workspace, out var workspace))
        {
            var workspacePath = path + "." + F.Workspace;
            Expect(workspace, JsonValueKind.Object, workspacePath);
            CheckProperties(workspace, workspacePath, F.WorkspaceObject);
            var workspaceId = new WorkspaceId(
                ReadString(Required(workspace, F.SubscriptionId, workspacePath), workspacePath + "." + F.SubscriptionId),
                ReadString(Required(workspace, F.ResourceGroup, workspacePath), workspacePath + "." + F.ResourceGroup),
                ReadString(Required(workspace, F.Name, workspacePath), workspacePath + "." + F.Name));
            environment = workspace.TryGetProperty(F.Login, out var login)
                ? environment.BindWorkspace(workspaceId, ReadLogin(login, workspacePath + "." + F.Login))
                : environment.BindWorkspace(workspaceId);
            if (workspace.TryGetProperty(F.Registry, out var registry))
            {
                var text = ReadString(registry, workspacePath + "." + F.Registry);
                try
                {
                    environment = environment.ShareThroughRegistry(MachineLearning.MachineLearningRegistryId.Parse(text));
                }
                catch (FormatException e)
                {
                    throw new DefinitionFormatException(workspacePath + "." + F.Registry, e.Message, e);
                }
            }
        }

        if (element.TryGetProperty(F.Variables, out var variables))
        {
            Expect(variables, JsonValueKind.Object, path + "." + F.Variables);
            var list = new List<VariableDefinition>();
            foreach (var property in variables.EnumerateObject())
            {
                list.Add(new VariableDefinition(property.Name, ReadString(property.Value, Member(path + "." + F.Variables, property.Name))));
            }

            environment = environment.WithVariablesUnchecked(list);
        }

        if (element.TryGetProperty(F.Secrets, out var secrets))
        {
            Expect(secrets, JsonValueKind.Object, path + "." + F.Secrets);
            var list = new List<SecretDefinition>();
            foreach (var property in secrets.EnumerateObject())
            {
                list.Add(new SecretDefinition(property.Name, ReadSecretValue(property.Value, Member(path + "." + F.Secrets, property.Name))));
            }

            environment = environment.WithSecretsUnchecked(list);
        }

        if (element.TryGetProperty(F.Gates, out var gates))
        {
            Expect(gates, JsonValueKind.Array, path + "." + F.Gates);
            var list = new List<PromotionGate>();
            var index = 0;
            foreach (var item in gates.EnumerateArray())
            {
                list.Add(ReadGate(item, $"{path}.{F.Gates}[{index++}]"));
            }

            environment = environment.WithGates([.. list]);
        }

        if (element.TryGetProperty(F.ProtectionRules, out var rules))
        {
            Expect(rules, JsonValueKind.Array, path + "." + F.ProtectionRules);
            var index = 0;
            foreach (var item in rules.EnumerateArray())
            {
                var itemPath = $"{path}.{F.ProtectionRules}[{index++}]";
                environment = environment.RequireProtectionRule(ReadWholeNumber(item, itemPath, "A protection rule is a GitHub App's numeric id, a whole number."));
            }
        }

        return environment;
    }

    private static PromotionGate ReadGate(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var type = ReadString(Required(element, F.Type, path), path + "." + F.Type);
        switch (type)
        {
            case "metricAtLeast" or "metricAtMost":
                CheckProperties(element, path, F.ThresholdGateObject);
                var metric = ReadString(Required(element, F.Metric, path), path + "." + F.Metric);
                var threshold = ReadNumber(Required(element, F.Threshold, path), path + "." + F.Threshold);
                return type == "metricAtLeast" ? MlEnvironment.MetricAtLeast(metric, threshold) : MlEnvironment.MetricAtMost(metric, threshold);
            case "improvesOnChampion":
                CheckProperties(element, path, F.ChampionGateObject);
                var direction = element.TryGetProperty(F.Direction, out var d)
                    ? ReadString(d, path + "." + F.Direction) switch
                    {
                        "higherIsBetter" => MetricDirection.HigherIsBetter,
                        "lowerIsBetter" => MetricDirection.LowerIsBetter,
                        var other => throw new DefinitionFormatException(path + "." + F.Direction, $"Unknown direction {Quote(other)}: use 'higherIsBetter' or 'lowerIsBetter'."),
                    }
                    : MetricDirection.HigherIsBetter;
                return MlEnvironment.ImprovesOnChampion(
                    ReadString(Required(element, F.Metric, path), path + "." + F.Metric),
                    direction,
                    element.TryGetProperty(F.MinAbsoluteChange, out var absolute) ? ReadNumber(absolute, path + "." + F.MinAbsoluteChange) : 0,
                    element.TryGetProperty(F.MinRelativeChange, out var relative) ? ReadNumber(relative, path + "." + F.MinRelativeChange) : 0);
            case "requiredTag" or "requiredProperty":
                CheckProperties(element, path, F.KeyGateObject);
                var key = ReadString(Required(element, F.Key, path), path + "." + F.Key);
                var value = element.TryGetProperty(F.Value, out var v) ? ReadString(v, path + "." + F.Value) : null;
                return type == "requiredTag" ? MlEnvironment.RequiredTag(key, value) : MlEnvironment.RequiredProperty(key, value);
            case "trainingJobCompleted":
                CheckProperties(element, path, F.JobGateObject);
                return MlEnvironment.TrainingJobCompleted();
            default:
                throw new DefinitionFormatException(path + "." + F.Type,
                    $"Unknown gate type {Quote(type)}: use 'metricAtLeast', 'metricAtMost', 'improvesOnChampion', 'requiredTag', 'requiredProperty' or 'trainingJobCompleted'.");
        }
    }

    private static double ReadNumber(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new DefinitionFormatException(path, $"Expected a number, found {Describe(element.ValueKind)}.");
        }

        return element.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new DefinitionFormatException(path, $"{Truncate(element.GetRawText())} is too large for a number (a double).");
    }

    // The largest wait timer TimeSpan can hold; validation reports the real limit (43,200).
    private const long MaxTimerMinutes = long.MaxValue / TimeSpan.TicksPerMinute;

    /// <summary>
    /// Reads a whole number exactly from the JSON text: 3, 3.0 and 3e0 are 3; 1e-300 and 2.5 are refused (not rounded,
    /// not read as 0); numbers beyond 64 bits are refused.
    /// </summary>
    internal static long ReadWholeNumber(JsonElement element, string path, string expected)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            throw new DefinitionFormatException(path, $"{expected} Found {Describe(element.ValueKind)}.");
        }

        if (element.TryGetInt64(out var whole))
        {
            return whole;
        }

        var raw = element.GetRawText();
        return TryParseWholeNumber(raw, out whole)
            ? whole
            : throw new DefinitionFormatException(path, $"{expected} Found {Truncate(raw)}.");
    }

    /// <summary>Parses a JSON number's text as an exact whole number (false for fractions and for what long cannot hold).</summary>
    internal static bool TryParseWholeNumber(string raw, out long value)
    {
        value = 0;
        var negative = raw.StartsWith('-');
        var text = negative ? raw[1..] : raw;
        var exponentAt = text.IndexOfAny(['e', 'E']);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        long exponent = 0;
        if (exponentAt >= 0 && !long.TryParse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            // An exponent beyond 64 bits: the value is 0 only when every digit is 0, otherwise far out of range or a fraction.
            return mantissa.All(c => c is '0' or '.') && SetZero(out value);
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa[..dot] + mantissa[(dot + 1)..];
        exponent -= dot < 0 ? 0 : mantissa.Length - dot - 1;
        digits = digits.TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        if (trimmed.Length == 0)
        {
            return SetZero(out value);
        }

        if (exponent < 0 || trimmed.Length + exponent > 19)
        {
            return false;
        }

        if (!decimal.TryParse(trimmed + new string('0', (int)exponent), NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude))
        {
            return false;
        }

        var signed = negative ? -magnitude : magnitude;
        if (signed is < long.MinValue or > long.MaxValue)
        {
            return false;
        }

        value = (long)signed;
        return true;
    }

    private static bool SetZero(out long value)
    {
        value = 0;
        return true;
    }

    private static WorkspaceLogin ReadLogin(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, F.LoginObject);
        CheckExactlyOne(element, path, F.LoginObject,
            "A login is {\"oidc\": {\"identity\": \"<ARM id>\"}} or {\"servicePrincipal\": {\"clientId\", \"tenantId\", \"clientSecret\"}}, exactly one of the two.");
        if (element.TryGetProperty(F.Oidc, out var oidc))
        {
            var oidcPath = path + "." + F.Oidc;
            Expect(oidc, JsonValueKind.Object, oidcPath);
            CheckProperties(oidc, oidcPath, F.OidcLoginObject);
            var text = ReadString(Required(oidc, F.Identity, oidcPath), oidcPath + "." + F.Identity);
            Identity.UserAssignedIdentityId identity;
            try
            {
                identity = Identity.UserAssignedIdentityId.Parse(text);
            }
            catch (FormatException e)
            {
                throw new DefinitionFormatException(oidcPath + "." + F.Identity, e.Message, e);
            }

            return WorkspaceLogin.Oidc(identity, oidc.TryGetProperty(F.Role, out var role) ? ReadString(role, oidcPath + "." + F.Role) : null);
        }

        var principal = element.GetProperty(F.ServicePrincipal);
        var principalPath = path + "." + F.ServicePrincipal;
        Expect(principal, JsonValueKind.Object, principalPath);
        CheckProperties(principal, principalPath, F.ServicePrincipalLoginObject);
        return WorkspaceLogin.ServicePrincipal(
            ReadGuid(Required(principal, F.ClientId, principalPath), principalPath + "." + F.ClientId),
            ReadGuid(Required(principal, F.TenantId, principalPath), principalPath + "." + F.TenantId),
            ReadSecretValue(Required(principal, F.ClientSecret, principalPath), principalPath + "." + F.ClientSecret));
    }

    private static Guid ReadGuid(JsonElement element, string path) =>
        Guid.TryParseExact(ReadString(element, path), "D", out var value)
            ? value
            : throw new DefinitionFormatException(path, "Expected a GUID such as 00000000-0000-0000-0000-000000000000.");

    private static SecretValue ReadSecretValue(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            throw new DefinitionFormatException(path,
                "Secret values are never written inline in a definition: use {\"fromEnvironmentVariable\": \"NAME\"}, {\"fromConfiguration\": \"Key\"} or {\"existing\": true}.");
        }

        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, F.SecretValueObject);
        CheckExactlyOne(element, path, F.SecretValueObject, "A secret has exactly one of 'fromEnvironmentVariable', 'fromConfiguration' or 'existing'.");
        var property = element.EnumerateObject().First();
        return property.Name switch
        {
            F.FromEnvironmentVariable => SecretValue.FromEnvironmentVariable(ReadString(property.Value, path + "." + F.FromEnvironmentVariable)),
            F.FromConfiguration => SecretValue.FromConfiguration(ReadString(property.Value, path + "." + F.FromConfiguration)),
            _ when property.Value.ValueKind == JsonValueKind.True => SecretValue.Existing,
            _ => throw new DefinitionFormatException(path + "." + F.Existing, "'existing' can only be true."),
        };
    }

    private static DeploymentBranchPolicy ReadPolicy(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        CheckProperties(element, path, F.BranchPolicyObject);
        var mode = ReadString(Required(element, F.Mode, path), path + "." + F.Mode);
        var kind = mode switch
        {
            "allBranches" => DeploymentBranchPolicyKind.AllBranches,
            "protectedBranches" => DeploymentBranchPolicyKind.ProtectedBranches,
            "custom" => DeploymentBranchPolicyKind.CustomPatterns,
            _ => throw new DefinitionFormatException(path + "." + F.Mode,
                $"Unknown branch policy mode {Quote(mode)}: use 'allBranches', 'protectedBranches' or 'custom'."),
        };

        var patterns = ImmutableArray.CreateBuilder<DeploymentRefPattern>();
        if (element.TryGetProperty(F.Patterns, out var array))
        {
            Expect(array, JsonValueKind.Array, path + "." + F.Patterns);
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var itemPath = $"{path}.{F.Patterns}[{index++}]";
                Expect(item, JsonValueKind.Object, itemPath);
                CheckProperties(item, itemPath, F.RefPatternObject);
                CheckExactlyOne(item, itemPath, F.RefPatternObject, "A pattern is {\"branch\": \"pattern\"} or {\"tag\": \"pattern\"}.");
                var property = item.EnumerateObject().First();
                patterns.Add(new DeploymentRefPattern(
                    ReadString(property.Value, itemPath + "." + property.Name),
                    property.Name == F.Branch ? DeploymentRefType.Branch : DeploymentRefType.Tag));
            }
        }

        return new DeploymentBranchPolicy(kind, patterns.ToImmutable());
    }

    /// <summary>
    /// Checks the whole document before anything is read: no object holds the same property twice (JSON readers
    /// disagree on which one wins), and every property name and string is valid Unicode text (an escaped lone
    /// surrogate such as <c>"\ud800"</c> cannot become a .NET string safely).
    /// </summary>
    private static void Preflight(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var current = property;
                    var name = Decode(() => current.Name, path, "A property name");
                    var propertyPath = Member(path, name);
                    if (!seen.Add(name))
                    {
                        throw new DefinitionFormatException(propertyPath,
                            $"The property {Quote(name)} appears more than once in the same object; write each property once.");
                    }

                    Preflight(property.Value, propertyPath);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Preflight(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                Decode(() => element.GetString()!, path, "The string");
                break;
        }
    }

    private static string Decode(Func<string> read, string path, string what)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException e)
        {
            throw new DefinitionFormatException(path,
                $"{what} is not valid Unicode text: it holds an unpaired UTF-16 surrogate (an escape such as \\ud800 without its partner) or invalid UTF-8.", e);
        }
    }

    private static void CheckProperties(JsonElement element, string path, FormatObject format)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(format.Names, property.Name) < 0)
            {
                throw new DefinitionFormatException(Member(path, property.Name),
                    $"Unknown property {Quote(property.Name)}; expected one of: {string.Join(", ", format.Names.Where(a => a != F.SchemaProperty))}.");
            }
        }
    }

    private static void CheckExactlyOne(JsonElement element, string path, FormatObject format, string message)
    {
        if (format.IsExactlyOne && element.EnumerateObject().Count() != 1)
        {
            throw new DefinitionFormatException(path, message);
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
            ? Decode(() => element.GetString()!, path, "The string")
            : throw new DefinitionFormatException(path, $"Expected a string, found {Describe(element.ValueKind)}.");

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new DefinitionFormatException(path, $"Expected {Describe(kind)}, found {Describe(element.ValueKind)}.");
        }
    }

    /// <summary>A member's JSON path: <c>$.name</c> for plain names, <c>$['a b']</c> (escaped) for others.</summary>
    internal static string Member(string path, string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
        return plain
            ? path + "." + name
            : path + "['" + NameRules.Escape(name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    private static string Quote(string text) => "'" + Truncate(NameRules.Escape(text)) + "'";

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";

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
