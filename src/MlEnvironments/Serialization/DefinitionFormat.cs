using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.Json.Nodes;

namespace MlEnvironments.Serialization;

/// <summary>
/// The definition file format as one table: every object of the format with its properties, each with its JSON
/// Schema. The reader takes the property names it accepts from here, the validator its path names, and
/// <see cref="DefinitionSchema"/> generates the JSON Schema from the same table, so that the three cannot disagree.
/// </summary>
internal static class DefinitionFormat
{
    public const string SchemaProperty = "$schema";

    // Property names used by the reader, the writer and validation paths.
    public const string Repositories = "repositories";
    public const string Repository = "repository";
    public const string Environments = "environments";
    public const string Name = "name";
    public const string Reviewers = "reviewers";
    public const string WaitTimerMinutes = "waitTimerMinutes";
    public const string PreventSelfReview = "preventSelfReview";
    public const string CanAdminsBypass = "canAdminsBypass";
    public const string BranchPolicy = "branchPolicy";
    public const string Mode = "mode";
    public const string Patterns = "patterns";
    public const string Branch = "branch";
    public const string Tag = "tag";
    public const string Workspace = "workspace";
    public const string SubscriptionId = "subscriptionId";
    public const string ResourceGroup = "resourceGroup";
    public const string Login = "login";
    public const string Registry = "registry";
    public const string Oidc = "oidc";
    public const string Identity = "identity";
    public const string Role = "role";
    public const string ServicePrincipal = "servicePrincipal";
    public const string ClientId = "clientId";
    public const string TenantId = "tenantId";
    public const string ClientSecret = "clientSecret";
    public const string Variables = "variables";
    public const string Secrets = "secrets";
    public const string Gates = "gates";
    public const string ProtectionRules = "protectionRules";
    public const string FromEnvironmentVariable = "fromEnvironmentVariable";
    public const string FromConfiguration = "fromConfiguration";
    public const string Existing = "existing";
    public const string Type = "type";
    public const string Metric = "metric";
    public const string Threshold = "threshold";
    public const string Direction = "direction";
    public const string MinAbsoluteChange = "minAbsoluteChange";
    public const string MinRelativeChange = "minRelativeChange";
    public const string Key = "key";
    public const string Value = "value";

    private const string Guid = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
    private const string SecretOrVariableName = "^[A-Za-z_][A-Za-z0-9_]*$";

    public static readonly FormatObject RepositoryObject = new("repository",
        "One GitHub repository and its environments, in promotion order.",
        new(Repository, "The repository, 'owner/name'.", () => Str(pattern: "^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$"), Required: true),
        new(Environments, "The environments, in promotion order (dev first, prod last).", () => Array(Ref("environment"))));

    public static readonly FormatObject RepositoryDocument = RepositoryObject.AsDocument("repositoryDocument",
        "A file that defines one repository.");

    public static readonly FormatObject RepositorySetDocument = new FormatObject("repositorySetDocument",
        "A file that defines several repositories (an organisation's).",
        new FormatProperty(Repositories, "The repositories; each one at most once.", () => Array(Ref("repository")), Required: true)).AsDocument("repositorySetDocument", null);

    public static readonly FormatObject EnvironmentObject = new("environment",
        "A GitHub environment: protection rules, deployment branch policy, the Azure ML workspace it is bound to, variables, secrets and promotion gates.",
        new(Name, "The environment's name: 1 to 255 characters, unique in the repository without regard to case. Refused: control, format (zero-width, bidi), separator, private-use and unassigned characters, space separators other than the ordinary space, any of ' \" ` \\ , ;, expression text '${{' or '}}', the names '.' and '..', and white space at either end.",
            () => Str(minLength: 1, maxLength: NameRules.MaxEnvironmentNameLength, pattern: NameRules.EnvironmentNameSchemaPattern), Required: true),
        new(Reviewers, "Required reviewers, 'user:<login>' or 'team:<slug>'; at most 6, users and teams together.",
            () => Array(Str(pattern: "^(user:[A-Za-z0-9-]{1,39}|team:[a-z0-9_-]{1,255})$"), maxItems: 6, unique: true)),
        new(WaitTimerMinutes, "Minutes a job waits before it runs: a whole number from 0 to 43200 (30 days).",
            () => new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = 43_200 }),
        new(PreventSelfReview, "Whether the person who triggered a deployment may not approve it; needs a reviewer.", Bool),
        new(CanAdminsBypass, "Whether administrators may bypass the protection rules (default true).", Bool),
        new(BranchPolicy, "Which branches and tags may deploy (default: all branches).", () => Ref("branchPolicy")),
        new(Workspace, "The Azure Machine Learning workspace the environment is bound to.", () => Ref("workspace")),
        new(Variables, "Environment variables, name to value; names ^[A-Za-z_][A-Za-z0-9_]*$, not GITHUB_…, unique without regard to case; values at most 48 KB; at most 100 with the binding's.",
            () => Map(Str())),
        new(Secrets, "Environment secrets, name to where the value comes from (never the value itself); same name rules as variables; at most 100.",
            () => Map(Ref("secretValue"))),
        new(Gates, "Promotion gates a model version must pass to enter this environment.", () => Array(Ref("gate"))),
        new(ProtectionRules, "Custom deployment protection rules: the numeric ids of GitHub Apps installed on the repository; at most 6.",
            () => Array(new JsonObject { ["type"] = "integer", ["minimum"] = 1 }, maxItems: 6)));

    public static readonly FormatObject BranchPolicyObject = new("branchPolicy",
        "Which branches and tags may deploy to the environment.",
        new(Mode, "'allBranches', 'protectedBranches', or 'custom' (only the patterns).", () => Enum("allBranches", "protectedBranches", "custom"), Required: true),
        new(Patterns, "The patterns of a custom policy (fnmatch-like, e.g. 'release/*'); each one once.", () => Array(Ref("refPattern"))));

    public static readonly FormatObject RefPatternObject = new FormatObject("refPattern",
        "A branch or a tag pattern: exactly one of the two properties.",
        new(Branch, "A branch name pattern.", () => Str(minLength: 1)),
        new(Tag, "A tag name pattern.", () => Str(minLength: 1))).ExactlyOne();

    public static readonly FormatObject WorkspaceObject = new("workspace",
        "An Azure Machine Learning workspace; binding publishes AZURE_SUBSCRIPTION_ID, AZUREML_RESOURCE_GROUP and AZUREML_WORKSPACE as environment variables.",
        new(SubscriptionId, "The subscription id, a GUID.", () => Str(pattern: Guid), Required: true),
        new(ResourceGroup, "The resource group: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.", () => Str(minLength: 1, maxLength: 90), Required: true),
        new(Name, "The workspace: 3 to 33 letters, digits, '-' or '_', starting with a letter or digit.", () => Str(pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$"), Required: true),
        new(Login, "How workflows of the environment log in to Azure.", () => Ref("login")),
        new(Registry, "An Azure ML registry's ARM id; promotions share model versions through it.", () => Str(minLength: 1)));

    public static readonly FormatObject LoginObject = new FormatObject("login",
        "A workspace login: exactly one of 'oidc' and 'servicePrincipal'.",
        new(Oidc, "OpenID Connect through a user-assigned managed identity (no stored secret).", () => Ref("oidcLogin")),
        new(ServicePrincipal, "A service principal whose secret becomes the AZURE_CREDENTIALS environment secret.", () => Ref("servicePrincipalLogin"))).ExactlyOne();

    public static readonly FormatObject OidcLoginObject = new("oidcLogin",
        "An OIDC login.",
        new(Identity, "The user-assigned managed identity's ARM id.", () => Str(minLength: 1), Required: true),
        new(Role, "The role on the workspace: a role definition GUID or its ARM id (default AzureML Data Scientist).", () => Str(minLength: 1)));

    public static readonly FormatObject ServicePrincipalLoginObject = new("servicePrincipalLogin",
        "A service principal login.",
        new(ClientId, "The application (client) id, a GUID.", () => Str(pattern: Guid), Required: true),
        new(TenantId, "The tenant id, a GUID.", () => Str(pattern: Guid), Required: true),
        new(ClientSecret, "Where the client secret comes from.", () => Ref("secretValue"), Required: true));

    public static readonly FormatObject SecretValueObject = new FormatObject("secretValue",
        "Where a secret's value comes from, resolved only when a plan is applied: exactly one property. Values are never written inline.",
        new(FromEnvironmentVariable, "The name of an environment variable of the process that applies the plan.", () => Str(minLength: 1)),
        new(FromConfiguration, "A configuration key (e.g. 'Secrets:Sp').", () => Str(minLength: 1)),
        new(Existing, "Managed elsewhere: declared, never written.", () => new JsonObject { ["const"] = true })).ExactlyOne();

    public static readonly FormatObject ThresholdGateObject = new("thresholdGate",
        "The metric must be at least (metricAtLeast) or at most (metricAtMost) the threshold.",
        new(Type, "The gate's kind.", () => Enum("metricAtLeast", "metricAtMost"), Required: true),
        new(Metric, "The metric's name, as the training run logged it.", () => Str(minLength: 1), Required: true),
        new(Threshold, "The threshold, a finite number.", Number, Required: true));

    public static readonly FormatObject ChampionGateObject = new("championGate",
        "The metric must improve on the model currently in the environment (champion/challenger).",
        new(Type, "The gate's kind.", () => Enum("improvesOnChampion"), Required: true),
        new(Metric, "The metric's name, as the training run logged it.", () => Str(minLength: 1), Required: true),
        new(Direction, "Which way is better (default higherIsBetter).", () => Enum("higherIsBetter", "lowerIsBetter")),
        new(MinAbsoluteChange, "The least absolute improvement, 0 or more (default 0).", NonNegativeNumber),
        new(MinRelativeChange, "The least relative improvement, 0 or more (default 0).", NonNegativeNumber));

    public static readonly FormatObject KeyGateObject = new("keyGate",
        "The model version must carry a tag (requiredTag) or a property (requiredProperty), optionally with a given value.",
        new(Type, "The gate's kind.", () => Enum("requiredTag", "requiredProperty"), Required: true),
        new(Key, "The tag's or property's name.", () => Str(minLength: 1), Required: true),
        new(Value, "The value it must have (any value when absent).", () => Str()));

    public static readonly FormatObject JobGateObject = new("jobGate",
        "The job that trained the model version must have completed.",
        new FormatProperty(Type, "The gate's kind.", () => Enum("trainingJobCompleted"), Required: true));

    /// <summary>Every object of the format, in the order the schema lists them.</summary>
    public static readonly ImmutableArray<FormatObject> Objects =
    [
        RepositoryDocument, RepositorySetDocument, RepositoryObject, EnvironmentObject, BranchPolicyObject, RefPatternObject,
        WorkspaceObject, LoginObject, OidcLoginObject, ServicePrincipalLoginObject, SecretValueObject,
        ThresholdGateObject, ChampionGateObject, KeyGateObject, JobGateObject,
    ];

    /// <summary>The gate objects, one of which a gate must match (chosen by its <c>type</c>).</summary>
    public static readonly ImmutableArray<FormatObject> GateObjects = [ThresholdGateObject, ChampionGateObject, KeyGateObject, JobGateObject];

    internal static JsonObject Str(int? minLength = null, int? maxLength = null, string? pattern = null)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (minLength is { } min)
        {
            schema["minLength"] = min;
        }

        if (maxLength is { } max)
        {
            schema["maxLength"] = max;
        }

        if (pattern is not null)
        {
            schema["pattern"] = pattern;
        }

        return schema;
    }

    private static JsonObject Bool() => new() { ["type"] = "boolean" };

    private static JsonObject Number() => new() { ["type"] = "number" };

    private static JsonObject NonNegativeNumber() => new() { ["type"] = "number", ["minimum"] = 0 };

    internal static JsonObject Ref(string id) => new() { ["$ref"] = "#/$defs/" + id };

    private static JsonObject Enum(params string[] values) =>
        values.Length == 1
            ? new JsonObject { ["const"] = values[0] }
            : new JsonObject { ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]) };

    private static JsonObject Array(JsonObject items, int? maxItems = null, bool unique = false)
    {
        var schema = new JsonObject { ["type"] = "array", ["items"] = items };
        if (maxItems is { } max)
        {
            schema["maxItems"] = max;
        }

        if (unique)
        {
            schema["uniqueItems"] = true;
        }

        return schema;
    }

    private static JsonObject Map(JsonObject values) => new()
    {
        ["type"] = "object",
        ["propertyNames"] = new JsonObject { ["pattern"] = SecretOrVariableName },
        ["maxProperties"] = 100,
        ["additionalProperties"] = values,
    };
}

/// <summary>A property of an object of the format.</summary>
/// <param name="Name">The JSON name.</param>
/// <param name="Description">What it means, for the schema and the README.</param>
/// <param name="Schema">Creates its JSON Schema.</param>
/// <param name="Required">Whether it must be present.</param>
internal sealed record FormatProperty(string Name, string Description, Func<JsonObject> Schema, bool Required = false);

/// <summary>An object of the format: its properties, and whether exactly one of them must be present.</summary>
internal sealed class FormatObject
{
    public FormatObject(string id, string? description, params FormatProperty[] properties)
    {
        Id = id;
        Description = description;
        Properties = [.. properties];
        Names = [.. properties.Select(p => p.Name)];
    }

    /// <summary>The name under <c>$defs</c>.</summary>
    public string Id { get; }

    /// <summary>What the object is.</summary>
    public string? Description { get; }

    /// <summary>The properties, in the order the writer writes them.</summary>
    public ImmutableArray<FormatProperty> Properties { get; }

    /// <summary>The accepted property names.</summary>
    public string[] Names { get; }

    /// <summary>Whether exactly one property must be present.</summary>
    public bool IsExactlyOne { get; private set; }

    /// <summary>The required properties.</summary>
    public IEnumerable<string> RequiredNames => Properties.Where(p => p.Required).Select(p => p.Name);

    public FormatObject ExactlyOne()
    {
        IsExactlyOne = true;
        return this;
    }

    /// <summary>The same object at the top of a file, where <c>$schema</c> is accepted too.</summary>
    public FormatObject AsDocument(string id, string? description) =>
        new FormatObject(id, description ?? Description,
            [new FormatProperty(DefinitionFormat.SchemaProperty, "The JSON Schema of the file (editors use it to check and complete); ignored when reading.",
                () => DefinitionFormat.Str(minLength: 1)), .. Properties]);

    /// <summary>The object's JSON Schema.</summary>
    public JsonObject ToSchema()
    {
        var properties = new JsonObject();
        foreach (var property in Properties)
        {
            var schema = new JsonObject { ["description"] = property.Description };
            var fragment = property.Schema();
            foreach (var (key, value) in fragment.ToList())
            {
                fragment.Remove(key);
                schema[key] = value;
            }

            properties[property.Name] = schema;
        }

        var result = new JsonObject();
        if (Description is not null)
        {
            result["description"] = Description;
        }

        result["type"] = "object";
        result["properties"] = properties;
        var required = RequiredNames.ToArray();
        if (required.Length > 0)
        {
            result["required"] = new JsonArray([.. required.Select(r => (JsonNode)JsonValue.Create(r))]);
        }

        if (IsExactlyOne)
        {
            result["minProperties"] = 1;
            result["maxProperties"] = 1;
        }

        result["additionalProperties"] = false;
        return result;
    }
}
