using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace MlEnvironments.Azure.Wire;

// The JSON Azure sends, as far as the interfaces need it. Unknown properties are ignored; every property may be
// missing (the spec's examples omit read-only fields), so every member is nullable.

internal sealed class ArmListDto<T>
{
    [JsonPropertyName("value")]
    public List<T?>? Value { get; set; }

    [JsonPropertyName("nextLink")]
    public string? NextLink { get; set; }
}

internal sealed class ArmResourceDto<TProperties>
    where TProperties : class
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("location")]
    public string? Location { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string?>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public TProperties? Properties { get; set; }
}

internal sealed class WorkspacePropertiesDto
{
    [JsonPropertyName("workspaceId")]
    public string? WorkspaceId { get; set; }

    [JsonPropertyName("mlFlowTrackingUri")]
    public string? MlFlowTrackingUri { get; set; }

    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("publicNetworkAccess")]
    public string? PublicNetworkAccess { get; set; }
}

internal sealed class ModelContainerPropertiesDto
{
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string?>? Tags { get; set; }

    [JsonPropertyName("isArchived")]
    public bool? IsArchived { get; set; }

    [JsonPropertyName("latestVersion")]
    public string? LatestVersion { get; set; }
}

internal sealed class ModelVersionPropertiesDto
{
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string?>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public Dictionary<string, string?>? Properties { get; set; }

    [JsonPropertyName("modelType")]
    public string? ModelType { get; set; }

    [JsonPropertyName("modelUri")]
    public string? ModelUri { get; set; }

    [JsonPropertyName("jobName")]
    public string? JobName { get; set; }

    [JsonPropertyName("stage")]
    public string? Stage { get; set; }

    [JsonPropertyName("flavors")]
    public Dictionary<string, FlavorDataDto?>? Flavors { get; set; }

    [JsonPropertyName("isArchived")]
    public bool? IsArchived { get; set; }
}

internal sealed class FlavorDataDto
{
    [JsonPropertyName("data")]
    public Dictionary<string, string?>? Data { get; set; }
}

internal sealed class JobPropertiesDto
{
    [JsonPropertyName("jobType")]
    public string? JobType { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("experimentName")]
    public string? ExperimentName { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string?>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public Dictionary<string, string?>? Properties { get; set; }
}

internal sealed class IdentityPropertiesDto
{
    [JsonPropertyName("tenantId")]
    public Guid? TenantId { get; set; }

    [JsonPropertyName("principalId")]
    public Guid? PrincipalId { get; set; }

    [JsonPropertyName("clientId")]
    public Guid? ClientId { get; set; }
}

internal sealed class FederatedIdentityCredentialPropertiesDto
{
    [JsonPropertyName("issuer")]
    public string? Issuer { get; set; }

    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("audiences")]
    public List<string?>? Audiences { get; set; }
}

internal sealed class RoleAssignmentPropertiesDto
{
    [JsonPropertyName("roleDefinitionId")]
    public string? RoleDefinitionId { get; set; }

    [JsonPropertyName("principalId")]
    public Guid? PrincipalId { get; set; }

    [JsonPropertyName("principalType")]
    public string? PrincipalType { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }
}

internal sealed class AsyncOperationStatusDto
{
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("error")]
    public ArmErrorDto? Error { get; set; }
}

internal sealed class ArmErrorResponseDto
{
    [JsonPropertyName("error")]
    public ArmErrorDto? Error { get; set; }

    // MLflow's REST errors: {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}.
    [JsonPropertyName("error_code")]
    public string? MlflowErrorCode { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    // Some ARM front doors answer the inner object without the "error" wrapper.
    [JsonPropertyName("code")]
    public string? Code { get; set; }
}

internal sealed class ArmErrorDto
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("target")]
    public string? Target { get; set; }

    [JsonPropertyName("details")]
    public List<ArmErrorDto?>? Details { get; set; }
}

internal sealed class MlflowRunResponseDto
{
    [JsonPropertyName("run")]
    public MlflowRunDto? Run { get; set; }
}

internal sealed class MlflowRunDto
{
    [JsonPropertyName("info")]
    public MlflowRunInfoDto? Info { get; set; }

    [JsonPropertyName("data")]
    public MlflowRunDataDto? Data { get; set; }
}

internal sealed class MlflowRunInfoDto
{
    [JsonPropertyName("run_id")]
    public string? RunId { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

internal sealed class MlflowRunDataDto
{
    [JsonPropertyName("metrics")]
    public List<MlflowMetricDto?>? Metrics { get; set; }
}

internal sealed class MlflowMetricHistoryDto
{
    [JsonPropertyName("metrics")]
    public List<MlflowMetricDto?>? Metrics { get; set; }

    [JsonPropertyName("next_page_token")]
    public string? NextPageToken { get; set; }
}

internal sealed class MlflowMetricDto
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    // MLflow may write NaN and infinities as strings, and 64-bit integers as strings (protobuf JSON).
    [JsonPropertyName("value")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double? Value { get; set; }

    [JsonPropertyName("timestamp")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? Timestamp { get; set; }

    [JsonPropertyName("step")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? Step { get; set; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ArmResourceDto<WorkspacePropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<WorkspacePropertiesDto>>))]
[JsonSerializable(typeof(ArmResourceDto<ModelContainerPropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<ModelContainerPropertiesDto>>))]
[JsonSerializable(typeof(ArmResourceDto<ModelVersionPropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<ModelVersionPropertiesDto>>))]
[JsonSerializable(typeof(ArmResourceDto<JobPropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<JobPropertiesDto>>))]
[JsonSerializable(typeof(ArmResourceDto<IdentityPropertiesDto>))]
[JsonSerializable(typeof(ArmResourceDto<FederatedIdentityCredentialPropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<FederatedIdentityCredentialPropertiesDto>>))]
[JsonSerializable(typeof(ArmResourceDto<RoleAssignmentPropertiesDto>))]
[JsonSerializable(typeof(ArmListDto<ArmResourceDto<RoleAssignmentPropertiesDto>>))]
[JsonSerializable(typeof(AsyncOperationStatusDto))]
[JsonSerializable(typeof(ArmErrorResponseDto))]
[JsonSerializable(typeof(MlflowRunResponseDto))]
[JsonSerializable(typeof(MlflowMetricHistoryDto))]
internal sealed partial class ArmJsonContext : JsonSerializerContext
{
}
