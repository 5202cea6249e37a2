using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using Microsoft.Extensions.Options;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>Turns an exception into one line saying what went wrong and a hint saying what to do, and the exit code.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception exception, CliConsole console, IEnvironmentReader environment)
    {
        switch (exception)
        {
            case CliException cli:
                console.Error(cli.Message, cli.Hint);
                return ExitCodes.Error;

            case OperationCanceledException:
                console.Error("Interrupted.", "nothing more was sent; plan again to see where things stand.");
                return ExitCodes.Interrupted;

            case DefinitionInvalidException invalid:
                ReportValidation(invalid.Result, console, planning: false);
                return ExitCodes.Error;

            case ValidationFailedException invalid:
                ReportValidation(invalid.Result, console, planning: true);
                return ExitCodes.Error;

            case DefinitionFormatException format:
                console.Error(format.Message, "fix the definition; `mlenv init` writes a valid one.");
                return ExitCodes.Error;

            case OptionsValidationException options:
                console.Error(string.Join(" ", options.Failures), "fix the MlEnvironments__… environment variables named above.");
                return ExitCodes.Error;

            case RemoteServiceException remote:
                console.Error(FirstLine(remote.Message), RemoteHint(remote));
                return ExitCodes.Error;

            case MlEnvironmentsException known:
                console.Error(FirstLine(known.Message), "see the message above; plan again once it is fixed.");
                return ExitCodes.Error;

            case HttpRequestException http:
                console.Error("A request failed: " + FirstLine(http.Message), "check the network and the --github-url / --azure-arm-url endpoints.");
                return ExitCodes.Error;

            case IOException or UnauthorizedAccessException:
                console.Error(FirstLine(exception.Message), "check the path and its permissions.");
                return ExitCodes.Error;

            default:
                if (IsAzureSignInFailure(exception))
                {
                    console.Error(
                        "Azure sign-in failed: " + FirstLine(exception.Message),
                        "sign in with `az login` (or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a secret or federated token for DefaultAzureCredential); definitions without workspace bindings need no Azure.");
                    return ExitCodes.Error;
                }

                console.Error($"Unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}",
                    EnvironmentNames.IsSet(environment.Get(EnvironmentNames.Debug))
                        ? console.Redact(exception.ToString())
                        : $"this is a bug in mlenv; run again with {EnvironmentNames.Debug}=1 for the stack trace and report it.");
                return ExitCodes.Error;
        }
    }

    /// <summary>Every violation, one per line (path, message, rule), under one error line, then a hint.</summary>
    /// <param name="result">The violations.</param>
    /// <param name="console">Where to write.</param>
    /// <param name="planning">Whether they were found while planning (against GitHub and Azure) rather than in the file alone.</param>
    public static void ReportValidation(ValidationResult result, CliConsole console, bool planning)
    {
        var count = result.Errors.Length;
        var problems = $"{count} {(count == 1 ? "problem" : "problems")}";
        var hint = planning
            ? "fix each one above (a missing resource, secret or reviewer), then plan again."
            : "fix each one above; `mlenv validate` checks the file without calling GitHub or Azure.";
        if (result.Errors.Any(e => e.Rule == ValidationRules.SecretReferenceUnresolved))
        {
            hint += " Secrets read from configuration come from environment variables: key Secrets:Name is the variable Secrets__Name.";
        }

        console.ErrorLines(
            planning ? $"The definition cannot be applied as it is ({problems}):" : $"The definition is not valid ({problems}):",
            result.Errors.Select(e => e.ToString()),
            hint);
    }

    private static string RemoteHint(RemoteServiceException remote) => (remote.Service, remote.StatusCode) switch
    {
        ("GitHub", 401) => "GitHub refused the token: check GITHUB_TOKEN (expired, revoked, or for another host than --github-url).",
        ("GitHub", 403) => "the token lacks a permission: it needs Administration: write, Environments: write, Actions: read and Deployments: write on the repository (classic tokens: repo).",
        ("GitHub", 404) => "check the repository's owner/name, and that the token can see it (a fine-grained token must include the repository).",
        ("GitHub", 0) => "GitHub could not be reached: check the network and --github-url.",
        ("Azure", 401) => "Azure refused the credential: sign in again (`az login`) or check the workload identity.",
        ("Azure", 403) => "the Azure identity lacks a role: it needs to read the workspaces and, for OIDC logins, to write federated credentials and role assignments (Owner or User Access Administrator on the scope).",
        ("Azure", 404) => "check the subscription, resource group and names in the definition's bindings.",
        ("Azure", 0) => "Azure could not be reached: check the network and --azure-arm-url.",
        _ => $"the {remote.Service} call {remote.Operation} failed{(remote.RequestId is null ? string.Empty : " (request id " + remote.RequestId + ")")}; run again, or check the service's status.",
    };

    private static bool IsAzureSignInFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var name = e.GetType().FullName ?? string.Empty;
            if (name is "Azure.Identity.AuthenticationFailedException" or "Azure.Identity.CredentialUnavailableException")
            {
                return true;
            }
        }

        return false;
    }

    internal static string FirstLine(string message) =>
        message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? message;
}
