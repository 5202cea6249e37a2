using System.Collections.Generic;

namespace MlEnvironments.Testing;

/// <summary>
/// One request a <see cref="GitHubEmulator"/> answered. Holds no header, query string or body, so never a token
/// or a secret value.
/// </summary>
/// <param name="Sequence">1 for the first request, then 2, 3, ….</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The request path as sent (percent-encoded), without the query string.</param>
/// <param name="OperationId">The matched operation of GitHub's description, e.g. <c>repos/get-environment</c>; <see langword="null"/> when the method and path match none.</param>
/// <param name="StatusCode">The status code answered.</param>
/// <param name="BodyValid">Whether the request body conformed to the operation's schema (<see langword="true"/> when there was nothing to check).</param>
/// <param name="SchemaErrors">What did not conform to the description: body problems as JSON pointers, and path parameters of the wrong type.</param>
public sealed record EmulatorRequest(
    int Sequence,
    string Method,
    string Path,
    string? OperationId,
    int StatusCode,
    bool BodyValid,
    IReadOnlyList<string> SchemaErrors)
{
    /// <summary>Whether the request matched an operation of the description.</summary>
    public bool IsMatched => OperationId is not null;

    /// <summary>Returns <c>#n METHOD path → status (operation)</c>.</summary>
    public override string ToString() =>
        $"#{Sequence} {Method} {Path} -> {StatusCode} ({OperationId ?? "unmatched"})" +
        (SchemaErrors.Count == 0 ? string.Empty : ": " + string.Join("; ", SchemaErrors));
}
