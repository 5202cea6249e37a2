using System;
using System.Text.Json;

namespace MlEnvironments.Serialization;

internal static class DefinitionJsonWriter
{
    public static void WriteSet(Utf8JsonWriter writer, RepositorySetDefinition set, string? schema = null)
    {
        writer.WriteStartObject();
        if (schema is not null)
        {
            writer.WriteString(DefinitionFormat.SchemaProperty, schema);
        }

        writer.WriteStartArray("repositories");
        foreach (var repository in set.Repositories)
        {
            WriteRepository(writer, repository);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteRepository(Utf8JsonWriter writer, RepositoryDefinition repository, string? schema = null)
    {
        writer.WriteStartObject();
        if (schema is not null)
        {
            writer.WriteString(DefinitionFormat.SchemaProperty, schema);
        }

        writer.WriteString("repository", repository.Repository.ToString());
        writer.WriteStartArray("environments");
        foreach (var environment in repository.Environments)
        {
            WriteEnvironment(writer, environment);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteEnvironment(Utf8JsonWriter writer, EnvironmentDefinition environment)
    {
        writer.WriteStartObject();
        writer.WriteString("name", environment.Name);
        if (!environment.Reviewers.IsEmpty)
        {
            writer.WriteStartArray("reviewers");
            foreach (var reviewer in environment.Reviewers)
            {
                writer.WriteStringValue(reviewer.ToString());
            }

            writer.WriteEndArray();
        }

        if (environment.WaitTimer != TimeSpan.Zero)
        {
            if (environment.WaitTimer.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                writer.WriteNumber("waitTimerMinutes", (long)environment.WaitTimer.TotalMinutes);
            }
            else
            {
                writer.WriteNumber("waitTimerMinutes", environment.WaitTimer.TotalMinutes);
            }
        }

        if (environment.PreventsSelfReview)
        {
            writer.WriteBoolean("preventSelfReview", true);
        }

        if (!environment.CanAdminsBypass)
        {
            writer.WriteBoolean("canAdminsBypass", false);
        }

        var policy = environment.BranchPolicy;
        if (policy.Kind != DeploymentBranchPolicyKind.AllBranches || !policy.Patterns.IsEmpty)
        {
            writer.WriteStartObject("branchPolicy");
            writer.WriteString("mode", DefinitionJsonReader.PolicyModeName(policy.Kind));
            if (!policy.Patterns.IsEmpty)
            {
                writer.WriteStartArray("patterns");
                foreach (var pattern in policy.Patterns)
                {
                    writer.WriteStartObject();
                    writer.WriteString(pattern.Type == DeploymentRefType.Branch ? "branch" : "tag", pattern.Pattern);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (environment.Binding is { } binding)
        {
            writer.WriteStartObject("workspace");
            writer.WriteString("subscriptionId", binding.Workspace.SubscriptionId);
            writer.WriteString("resourceGroup", binding.Workspace.ResourceGroupName);
            writer.WriteString("name", binding.Workspace.WorkspaceName);
            if (binding.Login is { } login)
            {
                writer.WriteStartObject("login");
                if (login.Kind == WorkspaceLoginKind.Oidc)
                {
                    writer.WriteStartObject("oidc");
                    writer.WriteString("identity", login.Identity.ResourceId);
                    if (!string.Equals(login.RoleDefinitionId, WorkspaceLogin.AzureMLDataScientistRoleId, StringComparison.OrdinalIgnoreCase))
                    {
                        writer.WriteString("role", login.RoleDefinitionId);
                    }
                }
                else
                {
                    writer.WriteStartObject("servicePrincipal");
                    writer.WriteString("clientId", login.ClientId);
                    writer.WriteString("tenantId", login.TenantId);
                    writer.WritePropertyName("clientSecret");
                    WriteSecretValue(writer, login.ClientSecret!);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (binding.Registry is { } registry)
            {
                writer.WriteString("registry", registry.ResourceId);
            }

            writer.WriteEndObject();
        }

        if (!environment.Variables.IsEmpty)
        {
            writer.WriteStartObject("variables");
            foreach (var variable in environment.Variables)
            {
                writer.WriteString(variable.Name, variable.Value);
            }

            writer.WriteEndObject();
        }

        if (!environment.Secrets.IsEmpty)
        {
            writer.WriteStartObject("secrets");
            foreach (var secret in environment.Secrets)
            {
                writer.WritePropertyName(secret.Name);
                WriteSecretValue(writer, secret.Value);
            }

            writer.WriteEndObject();
        }

        if (!environment.Gates.IsEmpty)
        {
            writer.WriteStartArray("gates");
            foreach (var gate in environment.Gates)
            {
                WriteGate(writer, gate);
            }

            writer.WriteEndArray();
        }

        if (!environment.ProtectionRuleAppIds.IsEmpty)
        {
            writer.WriteStartArray("protectionRules");
            foreach (var appId in environment.ProtectionRuleAppIds)
            {
                writer.WriteNumberValue(appId);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteGate(Utf8JsonWriter writer, PromotionGate gate)
    {
        writer.WriteStartObject();
        writer.WriteString("type", DefinitionJsonReader.GateTypeName(gate.Kind));
        switch (gate.Kind)
        {
            case PromotionGateKind.MetricAtLeast or PromotionGateKind.MetricAtMost:
                writer.WriteString("metric", gate.Metric);
                WriteNumber(writer, "threshold", gate.Threshold);
                break;
            case PromotionGateKind.ImprovesOnChampion:
                writer.WriteString("metric", gate.Metric);
                writer.WriteString("direction", gate.Direction == MetricDirection.HigherIsBetter ? "higherIsBetter" : "lowerIsBetter");
                if (gate.MinAbsoluteChange != 0)
                {
                    WriteNumber(writer, "minAbsoluteChange", gate.MinAbsoluteChange);
                }

                if (gate.MinRelativeChange != 0)
                {
                    WriteNumber(writer, "minRelativeChange", gate.MinRelativeChange);
                }

                break;
            case PromotionGateKind.RequiredTag or PromotionGateKind.RequiredProperty:
                writer.WriteString("key", gate.Key);
                if (gate.Value is not null)
                {
                    writer.WriteString("value", gate.Value);
                }

                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            // JSON has no NaN or infinity; the text keeps the value visible, and reading it back reports the rule.
            writer.WriteString(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static void WriteSecretValue(Utf8JsonWriter writer, SecretValue value)
    {
        switch (value.Source)
        {
            case SecretSource.EnvironmentVariable:
                writer.WriteStartObject();
                writer.WriteString("fromEnvironmentVariable", value.Reference);
                writer.WriteEndObject();
                break;
            case SecretSource.Configuration:
                writer.WriteStartObject();
                writer.WriteString("fromConfiguration", value.Reference);
                writer.WriteEndObject();
                break;
            case SecretSource.Existing:
                writer.WriteStartObject();
                writer.WriteBoolean("existing", true);
                writer.WriteEndObject();
                break;
            default:
                // A literal is never written: the file gets a marker that reading refuses with a clear message.
                writer.WriteStringValue(SecretValue.Redacted);
                break;
        }
    }
}
