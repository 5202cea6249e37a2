using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MlEnvironments.Testing;

/// <summary>
/// Kestrel on <c>127.0.0.1</c> and a free port chosen by the system, answering every request with one delegate: the
/// start-up the emulators share. Plain HTTP without a certificate (the GitHub emulator), HTTPS with one (the ARM
/// emulator).
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    /// <summary>The largest request body Kestrel reads (4 MiB); larger ones are answered 413.</summary>
    internal const long MaxRequestBodySize = 4 * 1024 * 1024;

    private WebApplication? _app;

    private LoopbackHost(WebApplication app, string scheme)
    {
        _app = app;
        Scheme = scheme;
        BaseAddress = new Uri(scheme + "://127.0.0.1/");
    }

    /// <summary>The root the host listens on, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; }

    /// <summary>Starts a host.</summary>
    /// <param name="name">What the host serves, for the message when it is bound anywhere but the loopback address.</param>
    /// <param name="handler">Answers every request.</param>
    /// <param name="certificate">The certificate to serve HTTPS with; <see langword="null"/> for plain HTTP.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host; dispose it to stop it.</returns>
    public static async Task<LoopbackHost> StartAsync(string name, RequestDelegate handler, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(handler);

        // The empty builder reads no configuration, environment variables or appsettings files, so nothing can add
        // another endpoint: Kestrel listens on exactly the one below.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LoopbackHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodySize;
            if (certificate is null)
            {
                kestrel.Listen(IPAddress.Loopback, 0);
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        app.Run(handler);
        var host = new LoopbackHost(app, certificate is null ? Uri.UriSchemeHttp : Uri.UriSchemeHttps);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var bound = addresses.Select(a => new Uri(a)).ToList();
            if (bound.Count != 1 || !IPAddress.TryParse(bound[0].Host, out var ip) || !ip.Equals(IPAddress.Loopback) || bound[0].Scheme != host.Scheme)
            {
                throw new InvalidOperationException($"The {name} must listen on {host.Scheme}://127.0.0.1 only, but it is bound to: " + string.Join(", ", addresses));
            }

            host.BaseAddress = new Uri(host.Scheme + "://127.0.0.1:" + bound[0].Port.ToString(CultureInfo.InvariantCulture) + "/");
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Returns the base address.</summary>
    public override string ToString() => BaseAddress.ToString();
}
