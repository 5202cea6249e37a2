using System;
using System.Collections.Generic;

namespace MlEnvironments.Testing;

/// <summary>Settings of a <see cref="GitHubEmulator"/>.</summary>
public sealed class GitHubEmulatorOptions
{
    /// <summary>
    /// The tokens the emulator accepts as <c>Authorization: Bearer &lt;token&gt;</c> or <c>token &lt;token&gt;</c>.
    /// Empty (the default): no authentication is required, except on the GitHub App endpoints. Not empty: every
    /// other request must carry one of them, or an unexpired installation token the emulator issued, and is
    /// otherwise answered 401 <c>{"message":"Bad credentials"}</c>. Read when the emulator starts.
    /// </summary>
    public ICollection<string> AcceptedTokens { get; } = new List<string>();

    /// <summary>The clock for rate-limit windows, App JWT checks and installation-token expiry; default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long an installation access token lives; default one hour, as on GitHub.</summary>
    public TimeSpan InstallationTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The primary rate limit per hour (<c>x-ratelimit-limit</c>); default 5,000.</summary>
    public int PrimaryRateLimit { get; init; } = 5000;

    /// <summary>
    /// How long the emulator waits before it handles each request, to model the round trip of a remote API in
    /// benchmarks; default zero (answer at once); at most one hour.
    /// </summary>
    /// <remarks>
    /// The wait is wall-clock time (<see cref="System.Threading.Tasks.Task.Delay(TimeSpan, System.Threading.CancellationToken)"/>),
    /// not <see cref="TimeProvider"/>: latency is real time by nature, and a fake clock that a test never advances
    /// would hold every request forever. Each request waits on its own, before the emulator's state is read or
    /// changed, so concurrent requests wait in parallel as they would on the network; only the handling after the
    /// wait is one request at a time. A client that gives up during the wait (its connection closes) is not
    /// answered, and the request is neither handled nor listed in <see cref="GitHubEmulator.Requests"/>.
    /// </remarks>
    public TimeSpan Latency { get; init; }
}
