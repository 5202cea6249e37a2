using System;
using System.Text.Json;

namespace MlEnvironments.GitHub;

/// <summary>
/// GitHub answered an error: the status, GitHub's message, its documentation URL and the request id
/// (<c>X-GitHub-Request-Id</c>). Tokens never appear in it.
/// </summary>
public class GitHubException : RemoteServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation id, e.g. <c>repos/create-or-update-environment</c>.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="documentationUrl">GitHub's documentation URL for the error, if any.</param>
    /// <param name="requestId">The request id, if any.</param>
    /// <param name="innerException">The cause.</param>
    public GitHubException(string operation, int statusCode, string message, Uri? documentationUrl = null, string? requestId = null, Exception? innerException = null)
        : base("GitHub", operation, statusCode, message, null, requestId, innerException)
    {
        DocumentationUrl = documentationUrl;
    }

    /// <summary>GitHub's documentation URL for the error.</summary>
    public Uri? DocumentationUrl { get; }
}

/// <summary>GitHub's rate limit was still exceeded after the allowed retries; <see cref="ResetsAt"/> says when to try again.</summary>
public sealed class GitHubRateLimitException : GitHubException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation id.</param>
    /// <param name="statusCode">403 or 429.</param>
    /// <param name="message">What happened and when to retry.</param>
    /// <param name="resetsAt">When the limit resets, if GitHub said.</param>
    /// <param name="requestId">The request id, if any.</param>
    /// <param name="innerException">The cause.</param>
    public GitHubRateLimitException(string operation, int statusCode, string message, DateTimeOffset? resetsAt, string? requestId = null, Exception? innerException = null)
        : base(operation, statusCode, message, null, requestId, innerException)
    {
        ResetsAt = resetsAt;
    }

    /// <summary>When the limit resets, if GitHub said.</summary>
    public DateTimeOffset? ResetsAt { get; }
}

internal static class GitHubErrors
{
    public static string MessageOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no message)";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                var text = message.GetString()!;
                if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                {
                    text += " " + errors.GetRawText();
                }

                return text;
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 200 ? body[..200] + "…" : body;
    }

    public static Uri? DocumentationOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("documentation_url", out var url) &&
                   Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri)
                ? uri
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
