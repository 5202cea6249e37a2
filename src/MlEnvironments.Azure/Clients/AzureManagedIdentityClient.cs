using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using MlEnvironments.Azure.Http;
using MlEnvironments.Azure.Wire;
using MlEnvironments.Identity;

namespace MlEnvironments.Azure;

/// <summary>
/// User-assigned managed identities and their federated identity credentials over ARM
/// (<c>Microsoft.ManagedIdentity</c>, api-version 2024-11-30 by default).
/// </summary>
public sealed class AzureManagedIdentityClient : IUserAssignedIdentityReader, IFederatedIdentityCredentialReader, IFederatedIdentityCredentialWriter
{
    internal const string IdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";
    internal const string CredentialType = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";

    private readonly ArmConnection _arm;

    internal AzureManagedIdentityClient(ArmConnection arm) => _arm = arm;

    /// <inheritdoc />
    public async Task<UserAssignedIdentityData?> GetIdentityAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default)
    {
        const string operation = "UserAssignedIdentities_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get, _arm.ArmUri(IdentityPath(identity), IdentityType), null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !AzureMachineLearningClient.IsParentMissing(response))
        {
            return null;
        }

        EnsureSuccess(operation, response);
        var dto = ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoIdentityPropertiesDto);
        var id = ArmResourceId.TryParse(dto.Id)?.Identity ?? identity;
        return MlEnvironmentsModelFactory.UserAssignedIdentityData(id,
            dto.Properties?.ClientId ?? Guid.Empty,
            dto.Properties?.PrincipalId ?? Guid.Empty,
            dto.Properties?.TenantId ?? Guid.Empty,
            dto.Location ?? string.Empty);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<FederatedIdentityCredentialData>> ListFederatedIdentityCredentialsAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default)
    {
        var credentials = await _arm.ListAsync("FederatedIdentityCredentials_List",
            _arm.ArmUri(IdentityPath(identity) + "/federatedIdentityCredentials", CredentialType),
            ArmJsonContext.Default.ArmListDtoArmResourceDtoFederatedIdentityCredentialPropertiesDto,
            dto => MapCredential(dto, null), nullOnNotFound: false, cancellationToken).ConfigureAwait(false);
        return credentials!;
    }

    /// <inheritdoc />
    public async Task<FederatedIdentityCredentialData?> GetFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        const string operation = "FederatedIdentityCredentials_Get";
        var response = await _arm.SendAsync(operation, RequestMethod.Get, _arm.ArmUri(CredentialPath(identity, name), CredentialType), null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !AzureMachineLearningClient.IsParentMissing(response))
        {
            return null;
        }

        EnsureSuccess(operation, response);
        return MapCredential(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoFederatedIdentityCredentialPropertiesDto), name)
               ?? throw Unreadable(operation, response);
    }

    /// <inheritdoc />
    public async Task<FederatedIdentityCredentialData> CreateOrUpdateFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, FederatedIdentityCredentialData credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        const string operation = "FederatedIdentityCredentials_CreateOrUpdate";
        var audiences = new JsonArray();
        foreach (var audience in credential.Audiences)
        {
            audiences.Add((JsonNode?)JsonValue.Create(audience));
        }

        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["issuer"] = credential.Issuer.OriginalString,
                ["subject"] = credential.Subject,
                ["audiences"] = audiences,
            },
        };
        var response = await _arm.SendAsync(operation, RequestMethod.Put, _arm.ArmUri(CredentialPath(identity, credential.Name), CredentialType), body, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(operation, response);
        return response.HasContent
            ? MapCredential(ArmConnection.Read(operation, response, ArmJsonContext.Default.ArmResourceDtoFederatedIdentityCredentialPropertiesDto), credential.Name) ?? throw Unreadable(operation, response)
            : credential;
    }

    /// <inheritdoc />
    public async Task DeleteFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        const string operation = "FederatedIdentityCredentials_Delete";
        var response = await _arm.SendAsync(operation, RequestMethod.Delete, _arm.ArmUri(CredentialPath(identity, name), CredentialType), null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && !AzureMachineLearningClient.IsParentMissing(response))
        {
            return;
        }

        EnsureSuccess(operation, response);
    }

    internal static FederatedIdentityCredentialData? MapCredential(ArmResourceDto<FederatedIdentityCredentialPropertiesDto> dto, string? requestedName)
    {
        var properties = dto.Properties;
        var name = ArmResourceId.TryParse(dto.Id)?.NameOf("federatedIdentityCredentials") ?? dto.Name ?? requestedName;
        if (name is null || properties?.Issuer is null || properties.Subject is null ||
            !Uri.TryCreate(properties.Issuer, UriKind.Absolute, out var issuer))
        {
            return null;
        }

        return new FederatedIdentityCredentialData(name, issuer, properties.Subject,
            (properties.Audiences ?? []).Where(a => a is not null).Select(a => a!).ToArray());
    }

    private static string IdentityPath(UserAssignedIdentityId identity)
    {
        if (identity.IsEmpty)
        {
            throw new ArgumentException("The identity id is empty (default).", nameof(identity));
        }

        return $"subscriptions/{ArmConnection.Segment(identity.SubscriptionId)}/resourceGroups/{ArmConnection.Segment(identity.ResourceGroupName)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{ArmConnection.Segment(identity.Name)}";
    }

    private static string CredentialPath(UserAssignedIdentityId identity, string name) =>
        $"{IdentityPath(identity)}/federatedIdentityCredentials/{ArmConnection.Segment(name)}";

    private static void EnsureSuccess(string operation, ArmResponse response)
    {
        if (!response.IsSuccess)
        {
            throw ArmConnection.Error(operation, response);
        }
    }

    private static AzureException Unreadable(string operation, ArmResponse response) =>
        new(operation, response.Status, $"Azure answered {operation} with a credential that lacks a name, issuer or subject.", "InvalidResponse", requestId: response.RequestId);
}
