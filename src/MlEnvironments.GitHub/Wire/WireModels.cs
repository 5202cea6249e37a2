using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlEnvironments.GitHub.Wire;

// The JSON shapes of GitHub's REST API (version 2022-11-28) that Octokit has no correct type for.
// Property names follow the API (snake_case through the serializer context); only what we read or send is declared.

internal sealed class EnvironmentListDto
{
    public int TotalCount { get; set; }

    public List<EnvironmentDto> Environments { get; set; } = [];
}

internal sealed class EnvironmentDto
{
    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public bool? CanAdminsBypass { get; set; }

    public BranchPolicySettingsDto? DeploymentBranchPolicy { get; set; }

    public List<ProtectionRuleDto>? ProtectionRules { get; set; }
}

internal sealed class BranchPolicySettingsDto
{
    public bool ProtectedBranches { get; set; }

    public bool CustomBranchPolicies { get; set; }
}

internal sealed class ProtectionRuleDto
{
    public long Id { get; set; }

    public string Type { get; set; } = string.Empty;

    public int? WaitTimer { get; set; }

    public bool? PreventSelfReview { get; set; }

    public List<ReviewerEntryDto>? Reviewers { get; set; }
}

internal sealed class ReviewerEntryDto
{
    public string Type { get; set; } = string.Empty;

    public ReviewerObjectDto? Reviewer { get; set; }
}

internal sealed class ReviewerObjectDto
{
    public long Id { get; set; }

    public string? Login { get; set; }

    public string? Slug { get; set; }
}

internal sealed class EnvironmentPutDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? WaitTimer { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? PreventSelfReview { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ReviewerReferenceDto>? Reviewers { get; set; }

    // Always written: null means "all branches" and must be sent as null to clear a policy.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public BranchPolicySettingsDto? DeploymentBranchPolicy { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CanAdminsBypass { get; set; }
}

internal sealed class ReviewerReferenceDto
{
    public string Type { get; set; } = string.Empty;

    public long Id { get; set; }
}

internal sealed class BranchPolicyListDto
{
    public int TotalCount { get; set; }

    public List<BranchPolicyDto> BranchPolicies { get; set; } = [];
}

internal sealed class BranchPolicyDto
{
    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Type { get; set; }
}

internal sealed class BranchPolicyCreateDto
{
    public string Name { get; set; } = string.Empty;

    public string Type { get; set; } = "branch";
}

internal sealed class BranchPolicyUpdateDto
{
    public string Name { get; set; } = string.Empty;
}

internal sealed class ProtectionRuleListDto
{
    public int TotalCount { get; set; }

    public List<CustomProtectionRuleDto> CustomDeploymentProtectionRules { get; set; } = [];
}

internal sealed class CustomProtectionRuleDto
{
    public long Id { get; set; }

    public bool Enabled { get; set; }

    public ProtectionRuleAppDto? App { get; set; }
}

internal sealed class ProtectionRuleAppDto
{
    public long Id { get; set; }

    public string Slug { get; set; } = string.Empty;

    public string? IntegrationUrl { get; set; }
}

// GitHub's description shows this answer as an array of partial objects in its example, while its schema says an
// object: accept both, so that either form parses.
[JsonConverter(typeof(ProtectionRuleAppListConverter))]
internal sealed class ProtectionRuleAppListDto
{
    public int TotalCount { get; set; }

    public List<ProtectionRuleAppDto> AvailableCustomDeploymentProtectionRuleIntegrations { get; set; } = [];
}

internal sealed class ProtectionRuleCreateDto
{
    public long IntegrationId { get; set; }
}

internal sealed class PublicKeyDto
{
    public string KeyId { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;
}

internal sealed class SecretListDto
{
    public int TotalCount { get; set; }

    public List<SecretDto> Secrets { get; set; } = [];
}

internal sealed class SecretDto
{
    public string Name { get; set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class SecretPutDto
{
    public string EncryptedValue { get; set; } = string.Empty;

    public string KeyId { get; set; } = string.Empty;
}

internal sealed class VariableListDto
{
    public int TotalCount { get; set; }

    public List<VariableDto> Variables { get; set; } = [];
}

internal sealed class VariableDto
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class VariableCreateDto
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}

internal sealed class VariableUpdateDto
{
    public string Value { get; set; } = string.Empty;
}

internal sealed class OidcSubjectClaimDto
{
    public bool UseDefault { get; set; }

    public List<string>? IncludeClaimKeys { get; set; }

    public bool? UseImmutableSubject { get; set; }

    public string? SubClaimPrefix { get; set; }
}

internal sealed class ErrorDto
{
    public string? Message { get; set; }

    public string? DocumentationUrl { get; set; }
}

internal sealed class ProtectionRuleAppListConverter : JsonConverter<ProtectionRuleAppListDto>
{
    public override ProtectionRuleAppListDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var result = new ProtectionRuleAppListDto();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ReadObject(ref reader, result);
            }
        }
        else
        {
            ReadObject(ref reader, result);
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, ProtectionRuleAppListDto value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("total_count", value.TotalCount);
        writer.WriteStartArray("available_custom_deployment_protection_rule_integrations");
        foreach (var app in value.AvailableCustomDeploymentProtectionRuleIntegrations)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", app.Id);
            writer.WriteString("slug", app.Slug);
            writer.WriteString("integration_url", app.IntegrationUrl);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void ReadObject(ref Utf8JsonReader reader, ProtectionRuleAppListDto result)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected an object in the list of protection rule integrations.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "total_count":
                    result.TotalCount = reader.GetInt32();
                    break;
                case "available_custom_deployment_protection_rule_integrations":
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var app = new ProtectionRuleAppDto();
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var field = reader.GetString();
                            reader.Read();
                            switch (field)
                            {
                                case "id":
                                    app.Id = reader.GetInt64();
                                    break;
                                case "slug":
                                    app.Slug = reader.GetString() ?? string.Empty;
                                    break;
                                case "integration_url":
                                    app.IntegrationUrl = reader.GetString();
                                    break;
                                default:
                                    reader.Skip();
                                    break;
                            }
                        }

                        result.AvailableCustomDeploymentProtectionRuleIntegrations.Add(app);
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EnvironmentListDto))]
[JsonSerializable(typeof(EnvironmentDto))]
[JsonSerializable(typeof(EnvironmentPutDto))]
[JsonSerializable(typeof(BranchPolicyListDto))]
[JsonSerializable(typeof(BranchPolicyDto))]
[JsonSerializable(typeof(BranchPolicyCreateDto))]
[JsonSerializable(typeof(BranchPolicyUpdateDto))]
[JsonSerializable(typeof(ProtectionRuleListDto))]
[JsonSerializable(typeof(CustomProtectionRuleDto))]
[JsonSerializable(typeof(ProtectionRuleAppListDto))]
[JsonSerializable(typeof(ProtectionRuleCreateDto))]
[JsonSerializable(typeof(PublicKeyDto))]
[JsonSerializable(typeof(SecretListDto))]
[JsonSerializable(typeof(SecretDto))]
[JsonSerializable(typeof(SecretPutDto))]
[JsonSerializable(typeof(VariableListDto))]
[JsonSerializable(typeof(VariableDto))]
[JsonSerializable(typeof(VariableCreateDto))]
[JsonSerializable(typeof(VariableUpdateDto))]
[JsonSerializable(typeof(OidcSubjectClaimDto))]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(DeploymentDto))]
[JsonSerializable(typeof(List<DeploymentDto>))]
[JsonSerializable(typeof(DeploymentCreateDto))]
[JsonSerializable(typeof(DeploymentStatusDto))]
[JsonSerializable(typeof(List<DeploymentStatusDto>))]
[JsonSerializable(typeof(DeploymentStatusCreateDto))]
[JsonSerializable(typeof(WorkflowRunListDto))]
[JsonSerializable(typeof(WorkflowRunDto))]
[JsonSerializable(typeof(WorkflowDispatchDto))]
[JsonSerializable(typeof(List<PendingDeploymentDto>))]
[JsonSerializable(typeof(PendingDeploymentReviewDto))]
[JsonSerializable(typeof(List<EnvironmentApprovalDto>))]
[JsonSerializable(typeof(CustomGateReviewDto))]
[JsonSerializable(typeof(WorkflowListDto))]
[JsonSerializable(typeof(ContentFileDto))]
[JsonSerializable(typeof(IssueDto))]
[JsonSerializable(typeof(List<IssueDto>))]
[JsonSerializable(typeof(IssueCreateDto))]
[JsonSerializable(typeof(IssueEditDto))]
[JsonSerializable(typeof(IssueCloseDto))]
[JsonSerializable(typeof(IssueCommentCreateDto))]
[JsonSerializable(typeof(object))]
internal sealed partial class GitHubWireContext : JsonSerializerContext;
