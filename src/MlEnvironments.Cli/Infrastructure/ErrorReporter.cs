using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using Microsoft.Extensions.Options;
using MlEnvironments.Promotion;

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

            case PromotionException promotion:
                console.Error(FirstLine(promotion.Message), PromotionHint(promotion.Code));
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

                var debug = EnvironmentNames.IsSet(environment.Get(EnvironmentNames.Debug));
                console.Error($"Unexpected {exception.GetType().Name}: {FirstLine(exception.Message)}",
                    debug
                        ? "this is a bug in mlenv; report it with the stack trace below."
                        : $"this is a bug in mlenv; run again with {EnvironmentNames.Debug}=1 for the stack trace and report it.");
                if (debug)
                {
                    console.Detail(exception.ToString());
                }

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

    /// <summary>
    /// What GitHub requires of whoever approves or rejects a waiting run: said by <c>approve</c>, <c>reject</c>, their
    /// help and the README.
    /// </summary>
    public const string ReviewerRule =
        "GitHub accepts a review only from a user token whose user is one of the environment's required reviewers " +
        "(and not the one who started the run when the environment prevents self-review); a GitHub App token, such as a workflow's github.token, cannot approve or reject.";

    /// <summary>A hint per <see cref="PromotionException.Code"/>; every one of them is thrown before anything is written.</summary>
    internal static string PromotionHint(string code) => code switch
    {
        PromotionErrors.EnvironmentNotDeclared => "nothing was written; name an environment the definition declares (listed above).",
        PromotionErrors.EnvironmentNotNext => "nothing was written; promote one step at a time in the definition's order: --to is the environment right after --from.",
        PromotionErrors.EnvironmentNotBound => "nothing was written; bind the environment to its Azure ML workspace in the definition (\"workspace\": {...}), then mlenv apply.",
        PromotionErrors.ModelVersionNotFound => "nothing was written; check --model and --version against the source workspace (az ml model list), or register the version first.",
        PromotionErrors.VersionConflict => "nothing was written; remove or rename that version in the target workspace, or promote another version.",
        PromotionErrors.NothingToRollBack => "nothing was written; `mlenv history --environment <env> --model <name>` lists what was promoted there.",
        PromotionErrors.RunNotFound => "check --run-id (the number in the run's URL, …/actions/runs/<id>); `mlenv pending` lists the runs that wait for review.",
        PromotionErrors.NothingPending => "nothing was reviewed; `mlenv pending` lists the runs that wait for review and the environments each waits on.",
        PromotionErrors.NotAReviewer => "nothing was reviewed; ask one of the reviewers listed above to run mlenv approve with their own user token (a GitHub App's cannot review), or to approve on the run's page.",
        PromotionErrors.InvalidModel => "nothing was written; a model name or version is 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        _ => "nothing was written; fix what the message names and run again.",
    };

    internal static string RemoteHint(RemoteServiceException remote) => (remote.Service, remote.StatusCode) switch
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
