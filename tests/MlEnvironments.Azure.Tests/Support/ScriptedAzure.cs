using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Testing;

namespace MlEnvironments.Azure.Tests.Support;

/// <summary>A scripted HTTP peer: answers queued responses in order and records every request (headers and body).</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _answers = new();

    public List<RecordedRequest> Requests { get; } = [];

    public ScriptedHandler Then(HttpStatusCode status, string? body = "{}", params (string Name, string Value)[] headers) =>
        Then(_ => Response(status, body, headers));

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public ScriptedHandler ThenThrow(Exception error) => Then(_ => throw error);

    public static HttpResponseMessage Response(HttpStatusCode status, string? body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content ??= new StringContent(string.Empty);
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
        }

        if (!_answers.TryDequeue(out var answer))
        {
            throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri}.");
        }

        var response = answer(request);
        response.RequestMessage = request;
        return response;
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, Dictionary<string, string> Headers, string? Body);

/// <summary>The real client stack, registered through DI, over a scripted peer at https://management.azure.com/ (nothing leaves the process).</summary>
internal sealed class ScriptedAzure : IDisposable
{
    public const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.scripted-token-never-printed-91c2.c2ln";

    public ScriptedAzure(Action<AzureOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<TokenCredential>(Credential);
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }

        services.AddMlEnvironments().AddAzureMachineLearning(o =>
        {
            o.Transport = new HttpClientTransport(Handler);
            configure?.Invoke(o);
        });
        Provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = Clock.NewFakeTime();

    public ScriptedHandler Handler { get; } = new();

    public FakeTokenCredential Credential { get; } = new(Token);

    public ServiceProvider Provider { get; }

    public AzureMachineLearningClient MachineLearning => Provider.GetRequiredService<AzureMachineLearningClient>();

    public AzureMlflowClient Mlflow => Provider.GetRequiredService<AzureMlflowClient>();

    public AzureManagedIdentityClient Identities => Provider.GetRequiredService<AzureManagedIdentityClient>();

    public AzureRoleAssignmentClient RoleAssignments => Provider.GetRequiredService<AzureRoleAssignmentClient>();

    public void Dispose() => Provider.Dispose();
}
