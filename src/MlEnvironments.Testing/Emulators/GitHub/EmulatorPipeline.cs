using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MlEnvironments.Testing;

/// <summary>A request matched to an operation, with what the handlers need.</summary>
internal sealed class RequestContext(HttpContext http, OpenApiMatch match, string rawPath, string rawQuery)
{
    /// <summary>The HTTP context.</summary>
    public HttpContext Http { get; } = http;

    /// <summary>The match.</summary>
    public OpenApiMatch Match { get; } = match;

    /// <summary>The operation.</summary>
    public OpenApiOperation Operation => Match.Operation;

    /// <summary>The path as sent.</summary>
    public string RawPath { get; } = rawPath;

    /// <summary>The query string as sent, without <c>?</c>.</summary>
    public string RawQuery { get; } = rawQuery;

    /// <summary>The repository of <c>{owner}/{repo}</c>, when the path has them.</summary>
    public RepositoryId Repository { get; set; }

    /// <summary>The validated JSON body, when there is one.</summary>
    public JsonElement? Body { get; set; }

    /// <summary>The App whose JWT authenticated the request, on App endpoints.</summary>
    public RegisteredApp? App { get; init; }

    /// <summary>Cancelled when the client goes away.</summary>
    public System.Threading.CancellationToken CancellationToken => Http.RequestAborted;

    /// <summary>The decoded <c>environment_name</c> path parameter.</summary>
    public string EnvironmentName => Parameter("environment_name");

    /// <summary>A decoded path parameter.</summary>
    public string Parameter(string name) => Match.PathParameters[name];

    /// <summary>An integer path parameter (already checked).</summary>
    public long LongParameter(string name) => long.Parse(Parameter(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>A property of an object body.</summary>
    public bool TryGetBodyProperty(string name, out JsonElement value)
    {
        if (Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A positive integer query parameter, or <see langword="null"/>.</summary>
    public int? QueryInt(string name) =>
        int.TryParse(Http.Request.Query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}

/// <summary>What a handler answers: status, JSON body (or none) and extra headers.</summary>
internal sealed class EmulatorResult
{
    private EmulatorResult(int statusCode, JsonNode? body, RateLimitFailure? rateLimit = null)
    {
        StatusCode = statusCode;
        Body = body;
        RateLimit = rateLimit;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The JSON body; <see langword="null"/> for none.</summary>
    public JsonNode? Body { get; }

    /// <summary>The rate-limit failure this answers, if it is one.</summary>
    public RateLimitFailure? RateLimit { get; }

    /// <summary>Extra response headers.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A JSON answer.</summary>
    public static EmulatorResult Json(int statusCode, JsonNode body) => new(statusCode, body);

    /// <summary>An answer without a body.</summary>
    public static EmulatorResult Empty(int statusCode) => new(statusCode, null);

    /// <summary>GitHub's error body: <c>{message, documentation_url, status}</c>.</summary>
    public static EmulatorResult Error(int statusCode, string message, string documentationUrl) =>
        new(statusCode, GitHubEmulator.ErrorBody(statusCode, message, documentationUrl));

    /// <summary>A rate-limit failure (its body is written with the request id).</summary>
    public static EmulatorResult RateLimited(RateLimitFailure failure) => new(failure.StatusCode, null, failure);

    /// <summary>Adds a header.</summary>
    public EmulatorResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
