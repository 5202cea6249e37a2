using System;
using System.Collections.Generic;

namespace MlEnvironments.Testing;

/// <summary>Settings of an <see cref="AzureResourceManagerEmulator"/>.</summary>
public sealed class AzureResourceManagerEmulatorOptions
{
    /// <summary>
    /// The bearer tokens the emulator accepts. Empty (the default): any <c>Authorization: Bearer …</c> is accepted
    /// (see <see cref="RequireAuthorization"/>). Not empty: other tokens answer 401 <c>InvalidAuthenticationToken</c>.
    /// Read when the emulator starts.
    /// </summary>
    public ICollection<string> AcceptedTokens { get; } = new List<string>();

    /// <summary>
    /// Whether each request is authorised as ARM does: the caller is the principal in the bearer token's <c>oid</c>
    /// claim (<see cref="FakeTokenCredential.ForPrincipal(Guid, Guid?, TimeProvider?)"/>), and it needs a role
    /// assignment in <see cref="AzureResourceManagerEmulator.Identity"/> at the request's scope or above whose role
    /// allows the request's action — else 403 <c>AuthorizationFailed</c> naming the action and the scope. The roles
    /// it knows are Owner, Contributor, Reader, AzureML Data Scientist and AzureML Registry User (any other grants
    /// nothing); a token without an <c>oid</c> claim answers 401. Default <see langword="false"/>: every
    /// authenticated caller may do everything, as the emulator did before it checked roles.
    /// </summary>
    public bool EnforceRoleAssignments { get; init; }

    /// <summary>Whether a request without a bearer token answers 401 <c>AuthenticationFailed</c>, as ARM does; default <see langword="true"/>.</summary>
    public bool RequireAuthorization { get; init; } = true;

    /// <summary>How many items a list answers per page before it gives a <c>nextLink</c> (ARM lists, MLflow history); default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>
    /// How many polls of a long-running operation (registry model version PUT via <c>Azure-AsyncOperation</c>,
    /// publish via <c>Location</c>) answer "in progress" before it completes; default 2. Zero: the first answer is final (200).
    /// </summary>
    public int LongRunningOperationPolls { get; init; } = 2;

    /// <summary>
    /// The <c>Retry-After</c> the emulator sends with long-running operations still in progress; default 10 seconds
    /// (ARM's lower bound for Azure ML). <see langword="null"/>: no <c>Retry-After</c> at all, as some Azure ML
    /// answers come, so that the client's own polling schedule decides.
    /// </summary>
    public TimeSpan? PollRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>x-ms-async-operation-timeout</c> sent with <c>Azure-AsyncOperation</c> answers; default none.</summary>
    public TimeSpan? AsyncOperationTimeout { get; init; }

    /// <summary>
    /// Whether workspaces are served with their <c>mlFlowTrackingUri</c> pointed at the emulator
    /// (<c>azureml://127.0.0.1:{port}/mlflow/v1.0/…</c>), so that MLflow calls reach it; default <see langword="true"/>.
    /// </summary>
    public bool RewriteTrackingUris { get; init; } = true;
}

/// <summary>
/// One request an <see cref="AzureResourceManagerEmulator"/> answered. Holds no header or body, so never a token.
/// </summary>
/// <param name="Sequence">1 for the first request, then 2, 3, ….</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The request path as sent (percent-encoded), without the query string.</param>
/// <param name="Operation">The operation, e.g. <c>ModelVersions_Get</c> (<c>MLflow_GetRun</c> for MLflow, <c>OperationStatus_Get</c> and <c>OperationResult_Get</c> for polls); <see langword="null"/> when nothing matched.</param>
/// <param name="StatusCode">The status code answered.</param>
/// <param name="ApiVersion">The <c>api-version</c> query parameter, if any.</param>
/// <param name="ClientRequestId">The <c>x-ms-client-request-id</c> the client sent, if any.</param>
public sealed record AzureEmulatorRequest(int Sequence, string Method, string Path, string? Operation, int StatusCode, string? ApiVersion, string? ClientRequestId)
{
    /// <summary>Returns <c>#n METHOD path -> status (operation)</c>.</summary>
    public override string ToString() => $"#{Sequence} {Method} {Path} -> {StatusCode} ({Operation ?? "unmatched"})";
}
