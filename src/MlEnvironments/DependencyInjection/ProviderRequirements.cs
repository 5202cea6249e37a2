using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Creates the services <c>AddMlEnvironments()</c> registers that need a provider's services, once those are there,
/// and otherwise fails naming the call that registers them. Registered as factories, they let a host that uses only
/// one provider (GitHub without Azure, say) start under <c>ValidateOnBuild</c>; the error comes when a service that
/// needs the missing provider is resolved.
/// </summary>
internal static class ProviderRequirements
{
    internal const string GitHubCalls = ".AddGitHub(...) (package MlEnvironments.GitHub) or .UseInMemory() (package MlEnvironments.Testing)";
    internal const string AzureCalls = ".AddAzureMachineLearning(...) (package MlEnvironments.Azure) or .UseInMemory() (package MlEnvironments.Testing)";

    /// <summary>Creates <typeparamref name="T"/> from the container once every type of <paramref name="required"/> is registered.</summary>
    /// <typeparam name="T">The implementation.</typeparam>
    /// <param name="services">The container.</param>
    /// <param name="service">The service being resolved, for the message.</param>
    /// <param name="required">The provider services the implementation cannot do without.</param>
    /// <returns>The instance.</returns>
    internal static T Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(IServiceProvider services, Type service, params Type[] required)
    {
        foreach (var type in required)
        {
            Require(services, service, type);
        }

        return ActivatorUtilities.CreateInstance<T>(services);
    }

    /// <summary>Fails when <paramref name="type"/> is not registered, naming the call that registers it.</summary>
    /// <param name="services">The container.</param>
    /// <param name="service">The service being resolved, for the message.</param>
    /// <param name="type">The provider service.</param>
    internal static void Require(IServiceProvider services, Type service, Type type)
    {
        var registered = services.GetService(typeof(IServiceProviderIsService)) is IServiceProviderIsService isService
            ? isService.IsService(type)
            : services.GetService(type) is not null;
        if (!registered)
        {
            throw Missing(service, type);
        }
    }

    /// <summary>The error for a provider service nobody registered.</summary>
    /// <param name="service">The service being resolved.</param>
    /// <param name="type">The missing provider service.</param>
    /// <returns>The exception.</returns>
    internal static InvalidOperationException Missing(Type service, Type type)
    {
        var github = type.Namespace == "MlEnvironments.GitHub";
        var (provider, calls) = github ? ("GitHub", GitHubCalls) : ("Azure", AzureCalls);
        return new InvalidOperationException(string.Format(
            CultureInfo.InvariantCulture,
            "{0} needs {1}, which no {2} provider registered: call services.AddMlEnvironments(){3}.",
            service.Name,
            type.Name,
            provider,
            calls));
    }
}
