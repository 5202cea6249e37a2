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
}
